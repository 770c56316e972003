from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "spie.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation et indicateurs"
