from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "spie.exchanges"
    label = "exchanges"
    verbose_name = "Temps d'échange et de formation"
