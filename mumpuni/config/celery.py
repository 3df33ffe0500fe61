"""The Celery application; with no broker configured tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")

app = Celery("mumpuni")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
