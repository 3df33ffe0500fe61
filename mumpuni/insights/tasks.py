"""Celery tasks of `insights`."""
