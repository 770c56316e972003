from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "spie.offers"
    label = "offers"
    verbose_name = "Offre d'insertion"
