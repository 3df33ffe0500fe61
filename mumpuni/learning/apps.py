from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "mumpuni.learning"
    label = "learning"
    verbose_name = "Pengembangan kompetensi"
