from django.db import models


class TerritoryStatus(models.TextChoices):
    PREPARATION = "preparation", "En préparation"
    DEPLOYED = "deployed", "Déployé"
    CLOSED = "closed", "Clos"


class BudgetPurpose(models.TextChoices):
    TERRITORY_PROJECT = "territory_project", "Projet du territoire"
    NATIONAL_SUPPORT = "national_support", "Appui technique national"


class TimeZone(models.TextChoices):
    PARIS = "Europe/Paris", "Métropole (Europe/Paris)"
    MARTINIQUE = "America/Martinique", "Martinique"
    GUADELOUPE = "America/Guadeloupe", "Guadeloupe"
    CAYENNE = "America/Cayenne", "Guyane"
    REUNION = "Indian/Reunion", "La Réunion"
    MAYOTTE = "Indian/Mayotte", "Mayotte"
