from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "mumpuni.nudges"
    label = "nudges"
    verbose_name = "Pengingat dan dorongan"
