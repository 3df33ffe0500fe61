"""Celery tasks of `evaluation`."""
