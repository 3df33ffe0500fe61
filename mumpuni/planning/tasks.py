"""Celery tasks of `planning`."""
