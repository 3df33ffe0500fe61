from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "mumpuni.development"
    label = "development"
    verbose_name = "Rencana pengembangan individu"
