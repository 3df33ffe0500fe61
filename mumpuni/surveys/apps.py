from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "mumpuni.surveys"
    label = "surveys"
    verbose_name = "Survei kepuasan masyarakat (SKM)"
