from django.db import models


class PathwayType(models.TextChoices):
    PROFESSIONAL = "professionnel", "Professionnel"
    SOCIO_PROFESSIONAL = "socio_professionnel", "Socio-professionnel"
    SOCIAL = "social", "Social"


class DecisionStatus(models.TextChoices):
    IN_FORCE = "en_vigueur", "En vigueur"
    REPLACED = "remplacee", "Remplacée par une nouvelle décision"


DECISION_TRANSITIONS = {
    DecisionStatus.IN_FORCE: {DecisionStatus.REPLACED},
    DecisionStatus.REPLACED: set(),
}


class ReorientationStatus(models.TextChoices):
    PENDING = "en_attente", "En attente"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    CANCELLED = "annulee", "Annulée"


REORIENTATION_TRANSITIONS = {
    ReorientationStatus.PENDING: {
        ReorientationStatus.ACCEPTED,
        ReorientationStatus.REFUSED,
        ReorientationStatus.CANCELLED,
    },
    ReorientationStatus.ACCEPTED: set(),
    ReorientationStatus.REFUSED: set(),
    ReorientationStatus.CANCELLED: set(),
}
