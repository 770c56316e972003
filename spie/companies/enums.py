from django.db import models


class SizeBand(models.TextChoices):
    NONE = "0", "Sans salarié"
    MICRO = "1_9", "1 à 9 salariés"
    SMALL = "10_49", "10 à 49 salariés"
    MEDIUM = "50_249", "50 à 249 salariés"
    LARGE = "250_plus", "250 salariés et plus"


class Availability(models.TextChoices):
    AVAILABLE = "available", "Disponible"
    LIMITED = "limited", "Disponibilité réduite"
    UNAVAILABLE = "unavailable", "Indisponible pour le moment"


class ContactPurpose(models.TextChoices):
    IMMERSION = "immersion", "Accueillir une personne en immersion"
    HIRE = "hire", "Recruter une personne"


class ContactStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    EXPIRED = "expired", "Sans réponse (lien expiré)"


CONTACT_TRANSITIONS = {
    ContactStatus.PENDING: {ContactStatus.ACCEPTED, ContactStatus.REFUSED, ContactStatus.EXPIRED},
    ContactStatus.ACCEPTED: set(),
    ContactStatus.REFUSED: set(),
    ContactStatus.EXPIRED: set(),
}


class OpeningKind(models.TextChoices):
    IMMERSION = "immersion", "Immersion"
    HIRE = "hire", "Recrutement"


class OpeningStatus(models.TextChoices):
    OPEN = "open", "Ouvert"
    CLOSED = "closed", "Clôturé"


class ImmersionObjective(models.TextChoices):
    DISCOVER = "discover", "Découvrir un métier ou un secteur d'activité"
    CONFIRM = "confirm", "Confirmer un projet professionnel"
    RECRUIT = "recruit", "Initier une démarche de recrutement"


class ImmersionStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise aux signatures"
    SIGNED_PERSON = "signed_person", "Signée par la personne"
    SIGNED_COMPANY = "signed_company", "Signée par l'entreprise"
    VALIDATED = "validated", "Validée par la structure prescriptrice"
    IN_PROGRESS = "in_progress", "En cours"
    COMPLETED = "completed", "Terminée"
    CANCELLED = "cancelled", "Annulée"


IMMERSION_TRANSITIONS = {
    ImmersionStatus.DRAFT: {ImmersionStatus.SUBMITTED, ImmersionStatus.CANCELLED},
    ImmersionStatus.SUBMITTED: {ImmersionStatus.SIGNED_PERSON, ImmersionStatus.CANCELLED},
    ImmersionStatus.SIGNED_PERSON: {ImmersionStatus.SIGNED_COMPANY, ImmersionStatus.CANCELLED},
    ImmersionStatus.SIGNED_COMPANY: {ImmersionStatus.VALIDATED, ImmersionStatus.CANCELLED},
    ImmersionStatus.VALIDATED: {ImmersionStatus.IN_PROGRESS, ImmersionStatus.CANCELLED},
    ImmersionStatus.IN_PROGRESS: {ImmersionStatus.COMPLETED, ImmersionStatus.CANCELLED},
    ImmersionStatus.COMPLETED: set(),
    ImmersionStatus.CANCELLED: set(),
}

# Statuses during which the immersion still holds a place in the company's monthly capacity.
ACTIVE_IMMERSION_STATUSES = [
    ImmersionStatus.SUBMITTED,
    ImmersionStatus.SIGNED_PERSON,
    ImmersionStatus.SIGNED_COMPANY,
    ImmersionStatus.VALIDATED,
    ImmersionStatus.IN_PROGRESS,
]


class CancelReason(models.TextChoices):
    PERSON_WITHDREW = "person", "La personne renonce"
    COMPANY_WITHDREW = "company", "L'entreprise renonce"
    PRESCRIBER = "prescriber", "Décision de la structure prescriptrice"
    NOT_SIGNED = "not_signed", "Convention non signée dans les délais"
    HEALTH = "health", "Raison de santé ou empêchement"
    OTHER = "other", "Autre motif"


class AssessmentOutcome(models.TextChoices):
    COMPLETED = "completed", "Réalisée en totalité"
    PARTIAL = "partial", "Réalisée en partie"
    NOT_HELD = "not_held", "N'a pas eu lieu"


class ContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    INTERIM = "interim", "Intérim"
    APPRENTICESHIP = "apprentissage", "Contrat d'apprentissage"
    PROFESSIONALISATION = "professionnalisation", "Contrat de professionnalisation"
    IAE = "iae", "Contrat d'insertion (IAE)"
    PEC = "pec", "Parcours emploi compétences (PEC)"
    OTHER = "autre", "Autre contrat"


class LinkPurpose(models.TextChoices):
    CONTACT_ANSWER = "contact_answer", "Réponse de l'entreprise à une demande de contact"
    SIGN_PERSON = "sign_person", "Signature de la convention par la personne"
    SIGN_COMPANY = "sign_company", "Signature de la convention par l'entreprise"


class TrainingFunding(models.TextChoices):
    REGION = "region", "Région (programme régional de formation)"
    FRANCE_TRAVAIL = "france_travail", "France Travail (AIF, POEI, POEC)"
    CPF = "cpf", "Compte personnel de formation (CPF)"
    OPCO = "opco", "OPCO"
    DEPARTEMENT = "departement", "Département"
    EMPLOYER = "employeur", "Employeur"
    OTHER = "autre", "Autre financement"


class PositioningStatus(models.TextChoices):
    POSITIONED = "positioned", "Positionné·e"
    ENROLLED = "enrolled", "Inscrit·e"
    ENTERED = "entered", "Entré·e en formation"
    COMPLETED = "completed", "Formation terminée"
    DROPPED_OUT = "dropped_out", "Abandon"


POSITIONING_TRANSITIONS = {
    PositioningStatus.POSITIONED: {PositioningStatus.ENROLLED, PositioningStatus.DROPPED_OUT},
    PositioningStatus.ENROLLED: {PositioningStatus.ENTERED, PositioningStatus.DROPPED_OUT},
    PositioningStatus.ENTERED: {PositioningStatus.COMPLETED, PositioningStatus.DROPPED_OUT},
    PositioningStatus.COMPLETED: set(),
    PositioningStatus.DROPPED_OUT: set(),
}


class EventKind(models.TextChoices):
    JOB_DATING = "job_dating", "Job dating"
    VISIT = "visit", "Visite d'entreprise"
    FORUM = "forum", "Forum emploi"


class ImportKind(models.TextChoices):
    COMPANIES = "companies", "Entreprises"
    SHORTAGES = "shortages", "Métiers en tension"
