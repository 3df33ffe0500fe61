from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "mumpuni.complaints"
    label = "complaints"
    verbose_name = "Pengaduan masyarakat"
