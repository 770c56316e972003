from django.db import models


class TagKind(models.TextChoices):
    """What an `OfferTag` row indexes: one value of a list field of the service."""

    THEMATIQUE = "t", "Thématique"
    PUBLIC = "p", "Public"
    ZONE = "z", "Zone d'éligibilité"


class ReferralStatus(models.TextChoices):
    SENT = "envoyee", "Envoyée"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    EXPIRED = "expiree", "Expirée"
    STARTED = "demarree", "Démarrée"
    ENDED = "terminee", "Terminée"
    ABANDONED = "abandonnee", "Abandonnée"


REFERRAL_TRANSITIONS = {
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.REFUSED, ReferralStatus.EXPIRED},
    ReferralStatus.ACCEPTED: {ReferralStatus.STARTED, ReferralStatus.ABANDONED},
    ReferralStatus.STARTED: {ReferralStatus.ENDED, ReferralStatus.ABANDONED},
    ReferralStatus.REFUSED: set(),
    ReferralStatus.EXPIRED: set(),
    ReferralStatus.ENDED: set(),
    ReferralStatus.ABANDONED: set(),
}

OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposee", "Proposée"
    REVIEWING = "a_l_etude", "À l'étude"
    RETAINED = "retenue", "Retenue"
    PUBLISHED = "publiee", "Publiée"
    REJECTED = "non_retenue", "Non retenue"


PROPOSAL_TRANSITIONS = {
    ProposalStatus.PROPOSED: {ProposalStatus.REVIEWING, ProposalStatus.REJECTED},
    ProposalStatus.REVIEWING: {ProposalStatus.RETAINED, ProposalStatus.REJECTED},
    ProposalStatus.RETAINED: {ProposalStatus.PUBLISHED, ProposalStatus.REJECTED},
    ProposalStatus.PUBLISHED: set(),
    ProposalStatus.REJECTED: set(),
}


class DuplicateStatus(models.TextChoices):
    OPEN = "a_examiner", "À examiner"
    CONFIRMED = "confirme", "Doublon confirmé"
    DISMISSED = "ecarte", "Pas un doublon"


class DuplicateReason(models.TextChoices):
    SIRET_AND_NAME = "siret_nom", "Même SIRET et noms proches"
    NAME_AND_ADDRESS = "nom_adresse", "Même nom et même adresse"


class SearchSort(models.TextChoices):
    DISTANCE = "distance", "Distance"
    RELEVANCE = "pertinence", "Pertinence"
    UPDATED = "maj", "Date de mise à jour"
