from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mumpuni.people"
    label = "people"
    verbose_name = "Kepegawaian"
