from django.db import models


class ThemeFamily(models.TextChoices):
    SOCIAL = "social", "Social"
    PROFESSIONAL = "professionnel", "Professionnel"


class Vocabulary(models.TextChoices):
    THEMATIQUES = "thematiques", "Thématiques"
    TYPES_DE_SERVICES = "types_de_services", "Types de services"
    PUBLICS = "publics", "Publics"
    FRAIS = "frais", "Frais"
    MODES_ACCUEIL = "modes_accueil", "Modes d'accueil"
    MODES_MOBILISATION = "modes_mobilisation", "Modes de mobilisation"
    PERSONNE_MOBILISATRICE = "personne_mobilisatrice", "Mobilisable par"
    RESEAUX_PORTEURS = "reseaux_porteurs", "Réseaux porteurs"
    TYPOLOGIES_STRUCTURES = "typologies_de_structures", "Typologies de structures"
