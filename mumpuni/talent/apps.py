from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "mumpuni.talent"
    label = "talent"
    verbose_name = "Manajemen talenta dan pendidikan lanjut"
