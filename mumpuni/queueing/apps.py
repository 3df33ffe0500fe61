from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "mumpuni.queueing"
    label = "queueing"
    verbose_name = "Pelayanan dan antrean"
