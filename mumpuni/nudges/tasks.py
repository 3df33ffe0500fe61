"""Celery tasks of `nudges`."""
