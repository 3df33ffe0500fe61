from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "mumpuni.evaluation"
    label = "evaluation"
    verbose_name = "Evaluasi pelatihan (Kirkpatrick)"
