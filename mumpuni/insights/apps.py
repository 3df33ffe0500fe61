from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "mumpuni.insights"
    label = "insights"
    verbose_name = "Dampak pelatihan"
