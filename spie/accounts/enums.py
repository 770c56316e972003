from django.db import models


class OrganisationType(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    PLIE = "plie", "PLIE"
    CCAS = "ccas", "CCAS / CIAS"
    ASSOCIATION = "association", "Association"
    SIAE = "siae", "SIAE"
    ENTREPRISE = "entreprise", "Entreprise"
    AUTRE = "autre", "Autre"


class Role(models.TextChoices):
    CONSEILLER = "conseiller", "Conseiller·ère"
    GESTIONNAIRE = "gestionnaire", "Gestionnaire de structure"
    CHARGE_ORIENTATION = "charge_orientation", "Chargé·e d'orientation"
    COORDINATEUR = "coordinateur", "Coordinateur·rice SPIE"
    ADMIN_NATIONAL = "admin_national", "Administrateur·rice national·e"
