from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mumpuni.reports"
    label = "reports"
    verbose_name = "Laporan resmi"
