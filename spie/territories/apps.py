from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "spie.territories"
    label = "territories"
    verbose_name = "Territoires"
