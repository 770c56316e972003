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


# Roles a structure manager gives within their own structure.
STRUCTURE_ROLES = (Role.CONSEILLER, Role.GESTIONNAIRE)
# Roles whose reach is the whole territory: granted by the territory's coordinator (orientation)
# or a national administrator, only in structures whose type may hold them.
TERRITORIAL_ROLES = (Role.CHARGE_ORIENTATION, Role.COORDINATEUR)
# Types of structure that may always hold a territorial role; a territory designates others.
ALWAYS_TERRITORIAL_TYPES = (OrganisationType.DEPARTEMENT, OrganisationType.FRANCE_TRAVAIL)


class ApiTokenScope(models.TextChoices):
    """How far an API token reaches: the people its structure follows, or, given explicitly by
    the territory's coordinator, the orientation work of the whole territory."""

    STRUCTURE = "structure", "Personnes suivies par la structure"
    ORIENTATION = "orientation", "Orientation : tout le territoire"


class EmailStatus(models.TextChoices):
    """Where an invitation's e-mail is: waiting in the queue, being sent, sent, or failed."""

    QUEUED = "queued", "En attente d'envoi"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyée"
    FAILED = "failed", "Échec de l'envoi"


EMAIL_STATUS_TRANSITIONS = {
    EmailStatus.QUEUED: {EmailStatus.SENDING},
    EmailStatus.SENDING: {EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.QUEUED},
    EmailStatus.SENT: {EmailStatus.QUEUED},
    EmailStatus.FAILED: {EmailStatus.QUEUED},
}


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", "Structures"
    PROFESSIONALS = "professionals", "Professionnels"
