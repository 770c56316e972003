from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"


class RsaStatus(models.TextChoices):
    NONE = "", "Non concerné·e"
    REQUESTED = "demande", "Demande en cours"
    OPEN = "droits_ouverts", "Droits ouverts"
    SUSPENDED = "suspendu", "Droits suspendus"
    CLOSED = "clos", "Droits clos"


class UnemploymentBenefit(models.TextChoices):
    NONE = "", "Aucune"
    ARE = "are", "ARE (allocation d'aide au retour à l'emploi)"
    ASS = "ass", "ASS (allocation de solidarité spécifique)"


class TeamEndReason(models.TextChoices):
    LEFT = "left", "A quitté l'équipe de suivi"
    HANDED_OVER = "handed_over", "Suivi transmis à un autre professionnel"
    END_OF_ACCOMPANIMENT = "end", "Fin de l'accompagnement par la structure"
    PROFESSIONAL_LEFT = "professional_left", "Le professionnel a quitté sa structure"
    OTHER = "other", "Autre"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    APPROVED = "approved", "Acceptée"
    REFUSED = "refused", "Refusée"
    CANCELLED = "cancelled", "Annulée"


JOIN_REQUEST_TRANSITIONS = {
    JoinRequestStatus.PENDING: {
        JoinRequestStatus.APPROVED,
        JoinRequestStatus.REFUSED,
        JoinRequestStatus.CANCELLED,
    },
    JoinRequestStatus.APPROVED: set(),
    JoinRequestStatus.REFUSED: set(),
    JoinRequestStatus.CANCELLED: set(),
}


class AccessKind(models.TextChoices):
    READ = "read", "Consultation du dossier"
    LIMITED = "limited", "Consultation de l'identité (recherche)"
    WRITE = "write", "Modification"
    EXPORT = "export", "Export des données"
