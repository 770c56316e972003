from django.apps import AppConfig


class StudiesConfig(AppConfig):
    name = "spie.studies"
    label = "studies"
    verbose_name = "Évaluation participative et études d'impact"
