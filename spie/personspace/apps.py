from django.apps import AppConfig


class PersonspaceConfig(AppConfig):
    name = "spie.personspace"
    label = "personspace"
    verbose_name = "Espace personnel"
