from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "mumpuni.competencies"
    label = "competencies"
    verbose_name = "Kompetensi"
