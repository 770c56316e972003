from django.db import models


class EvaluationStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publiee", "Publiée"


# A published evaluation can go back to draft to be corrected, then be published again.
EVALUATION_TRANSITIONS = {
    EvaluationStatus.DRAFT: {EvaluationStatus.PUBLISHED},
    EvaluationStatus.PUBLISHED: {EvaluationStatus.DRAFT},
}


class ExportChannel(models.TextChoices):
    PAGE = "page", "Téléchargement depuis la plateforme"
    COMMAND = "commande", "Commande d'exploitation"
