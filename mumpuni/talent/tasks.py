"""Celery tasks of `talent`."""
