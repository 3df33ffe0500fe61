from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "mumpuni.planning"
    label = "planning"
    verbose_name = "Anggaran dan perencanaan pelatihan"
