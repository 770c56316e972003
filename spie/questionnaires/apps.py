from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "spie.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires et groupe miroir"
