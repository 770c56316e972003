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


class Stage(models.TextChoices):
    """The stages of the shared pathway (parcours)."""

    ENTRY = "entree", "Entrée"
    ORIENTED = "oriente", "Orienté"
    CONTRACT_SIGNED = "contrat_signe", "Contrat signé"
    ACCOMPANIMENT = "accompagnement", "En accompagnement"
    EMPLOYMENT = "emploi", "En emploi (suivi)"
    CLOSED = "clos", "Clos"


# A new orientation (reorientation) brings an open pathway back to « orienté »: the contract's
# month restarts. A job lost during the follow-up brings it back to « en accompagnement ».
STAGE_TRANSITIONS = {
    Stage.ENTRY: {Stage.ORIENTED, Stage.EMPLOYMENT, Stage.CLOSED},
    Stage.ORIENTED: {Stage.ORIENTED, Stage.CONTRACT_SIGNED, Stage.EMPLOYMENT, Stage.CLOSED},
    Stage.CONTRACT_SIGNED: {Stage.ORIENTED, Stage.ACCOMPANIMENT, Stage.EMPLOYMENT, Stage.CLOSED},
    Stage.ACCOMPANIMENT: {Stage.ORIENTED, Stage.CONTRACT_SIGNED, Stage.EMPLOYMENT, Stage.CLOSED},
    Stage.EMPLOYMENT: {Stage.ACCOMPANIMENT, Stage.CLOSED},
    Stage.CLOSED: set(),
}
OPEN_STAGES = [stage for stage in Stage.values if stage != Stage.CLOSED]
# Stages during which the person should be seen regularly and reviewed periodically.
ACCOMPANIED_STAGES = [Stage.ORIENTED, Stage.CONTRACT_SIGNED, Stage.ACCOMPANIMENT]


class ClosingReason(models.TextChoices):
    DURABLE_JOB = "emploi_durable", "Emploi durable"
    NON_DURABLE_JOB = "emploi_non_durable", "Emploi non durable"
    TRAINING = "formation", "Entrée en formation"
    MOVED_AWAY = "demenagement", "Déménagement hors du territoire"
    END_OF_RIGHTS = "fin_droits", "Fin des droits"
    LOST_CONTACT = "perte_contact", "Perte de contact"
    OTHER = "autre", "Autre motif"


# Exits to employment: the employment follow-up goes on after the pathway is closed for one of them.
EMPLOYMENT_EXITS = (ClosingReason.DURABLE_JOB, ClosingReason.NON_DURABLE_JOB)


class ContractStatus(models.TextChoices):
    DRAFT = "brouillon", "En préparation"
    SIGNED = "signe", "Signé (en vigueur)"
    REPLACED = "remplace", "Remplacé par une révision"


CONTRACT_TRANSITIONS = {
    ContractStatus.DRAFT: {ContractStatus.SIGNED},
    ContractStatus.SIGNED: {ContractStatus.REPLACED},
    ContractStatus.REPLACED: set(),
}


class ExemptionReason(models.TextChoices):
    """Proven particular difficulties that justify a plan under 15 hours a week (décret 2024-1244)."""

    HEALTH = "sante", "Problème de santé"
    DISABILITY = "handicap", "Situation de handicap"
    CHILDCARE = "garde_enfant", "Garde d'enfant (enfant de moins de 3 ans ou sans solution de garde)"
    CAREGIVER = "aidant", "Aidant d'un proche"
    OTHER = "autre", "Autre difficulté particulière avérée"


class PlanItemStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    IN_PROGRESS = "en_cours", "En cours"
    ON_HOLD = "suspendue", "Suspendue"
    DONE = "realisee", "Réalisée"
    ABANDONED = "abandonnee", "Abandonnée"
    CANCELLED = "annulee", "Annulée"


PLAN_ITEM_TRANSITIONS = {
    PlanItemStatus.PLANNED: {PlanItemStatus.IN_PROGRESS, PlanItemStatus.CANCELLED, PlanItemStatus.ABANDONED},
    PlanItemStatus.IN_PROGRESS: {PlanItemStatus.ON_HOLD, PlanItemStatus.DONE, PlanItemStatus.ABANDONED},
    PlanItemStatus.ON_HOLD: {PlanItemStatus.IN_PROGRESS, PlanItemStatus.ABANDONED, PlanItemStatus.CANCELLED},
    PlanItemStatus.DONE: set(),
    PlanItemStatus.ABANDONED: set(),
    PlanItemStatus.CANCELLED: set(),
}
# Actions that count in the weekly hours of the plan.
ACTIVE_PLAN_STATUSES = [PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS]


class AppointmentKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    FOLLOW_UP = "suivi", "Entretien de suivi"
    STATUS_REVIEW = "point_situation", "Point de situation"
    WORKSHOP = "atelier_collectif", "Atelier collectif"


class AppointmentChannel(models.TextChoices):
    IN_PERSON = "presentiel", "En présentiel"
    PHONE = "telephone", "Par téléphone"
    VIDEO = "visio", "En visioconférence"


class AppointmentStatus(models.TextChoices):
    PLANNED = "prevu", "Prévu"
    SEEN = "honore", "Honoré"
    EXCUSED = "excuse", "Absence excusée"
    CANCELLED = "annule", "Annulé"
    NO_SHOW = "absent", "Absence non excusée"


APPOINTMENT_TRANSITIONS = {
    AppointmentStatus.PLANNED: {
        AppointmentStatus.SEEN,
        AppointmentStatus.EXCUSED,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.NO_SHOW,
    },
    # A status recorded by mistake may be corrected once between seen / excused / no-show.
    AppointmentStatus.SEEN: {AppointmentStatus.NO_SHOW, AppointmentStatus.EXCUSED},
    AppointmentStatus.EXCUSED: {AppointmentStatus.SEEN, AppointmentStatus.NO_SHOW},
    AppointmentStatus.NO_SHOW: {AppointmentStatus.SEEN, AppointmentStatus.EXCUSED},
    AppointmentStatus.CANCELLED: set(),
}


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "sans_changement", "Pas de changement"
    PLAN_UPDATED = "plan_mis_a_jour", "Plan d'action mis à jour"
    CASE_REVIEW = "equipe_pluridisciplinaire", "Présentation en équipe pluridisciplinaire"
    REORIENTATION = "reorientation_demandee", "Réorientation demandée"
    CLOSING = "cloture", "Clôture du parcours"


class EmploymentContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD_LONG = "cdd_6_mois_plus", "CDD de 6 mois ou plus"
    CDD_SHORT = "cdd_moins_6_mois", "CDD de moins de 6 mois"
    TEMP_LONG = "interim_6_mois_plus", "Mission d'intérim de 6 mois ou plus"
    TEMP_SHORT = "interim_moins_6_mois", "Mission d'intérim de moins de 6 mois"
    BUSINESS_CREATION = "creation_entreprise", "Création d'entreprise"
    IAE = "iae", "Contrat d'insertion (IAE)"
    APPRENTICESHIP = "apprentissage", "Contrat d'apprentissage"
    OTHER = "autre", "Autre"


# The official rule: a durable job is a CDI, a CDD or temp mission of 6 months or more, or a
# business creation.
DURABLE_CONTRACT_TYPES = frozenset(
    {
        EmploymentContractType.CDI,
        EmploymentContractType.CDD_LONG,
        EmploymentContractType.TEMP_LONG,
        EmploymentContractType.BUSINESS_CREATION,
    }
)


class WorkingTime(models.TextChoices):
    FULL_TIME = "temps_plein", "Temps plein"
    PART_TIME = "temps_partiel", "Temps partiel"


class FollowUpStatus(models.TextChoices):
    ACTIVE = "en_cours", "En cours"
    ENDED = "termine", "Terminé"


FOLLOW_UP_TRANSITIONS = {FollowUpStatus.ACTIVE: {FollowUpStatus.ENDED}, FollowUpStatus.ENDED: set()}
CHECKPOINT_MONTHS = (1, 3, 6)


class CheckpointContact(models.TextChoices):
    REACHED = "joint", "Contact établi"
    NOT_REACHED = "non_joint", "Personne non jointe"


class AlertType(models.TextChoices):
    NO_SEEN_APPOINTMENT = "sans_rdv_honore", "Pas de rendez-vous honoré"
    ORIENTATION_OVERDUE = "orientation_en_retard", "Orientation non décidée"
    CONTRACT_OVERDUE = "contrat_en_retard", "Contrat non signé"
    REVIEW_OVERDUE = "point_en_retard", "Point de situation en retard"
    STAGE_OVERDUE = "etape_trop_longue", "Étape plus longue que prévu"
    APPOINTMENT_UNRECORDED = "rdv_sans_suite", "Rendez-vous passé sans suite"
    CHECKPOINT_OVERDUE = "suivi_emploi_en_retard", "Point de suivi dans l'emploi en retard"
    CASE_ACTION_OVERDUE = "action_instance_en_retard", "Action décidée en instance en retard"


class Severity(models.IntegerChoices):
    LOW = 1, "Faible"
    MEDIUM = 2, "Moyenne"
    HIGH = 3, "Élevée"
