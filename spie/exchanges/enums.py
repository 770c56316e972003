from django.db import models


class EventKind(models.TextChoices):
    TRAINING = "training", "Formation"
    PRACTICE_EXCHANGE = "practice_exchange", "Échange de pratiques"
    INFORMATION = "information", "Réunion d'information"
    IMMERSION = "immersion", "Immersion dans une autre structure"


class EventStatus(models.TextChoices):
    PUBLISHED = "published", "Publié"
    HELD = "held", "Réalisé"
    CANCELLED = "cancelled", "Annulé"


# A published event is held once its attendance is recorded, or cancelled by its organiser.
EVENT_TRANSITIONS = {
    EventStatus.PUBLISHED: {EventStatus.HELD, EventStatus.CANCELLED},
    EventStatus.HELD: set(),
    EventStatus.CANCELLED: set(),
}


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Inscrit·e"
    WAITLISTED = "waitlisted", "Sur liste d'attente"
    CANCELLED = "cancelled", "Désinscrit·e"


REGISTRATION_TRANSITIONS = {
    RegistrationStatus.REGISTERED: {RegistrationStatus.CANCELLED},
    RegistrationStatus.WAITLISTED: {RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED},
    RegistrationStatus.CANCELLED: {RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED},
}

RATING_CHOICES = [(1, "1 — Décevant"), (2, "2 — Moyen"), (3, "3 — Correct"), (4, "4 — Bien"), (5, "5 — Excellent")]
