"""Mumpuni: competency development of ASN joined to the public services they deliver."""

from mumpuni.config.celery import app as celery_app

__all__ = ["celery_app"]
