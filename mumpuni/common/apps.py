from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "mumpuni.common"
    label = "common"
    verbose_name = "Umum"
