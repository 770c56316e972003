from django.db import models


class DiagnosticStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    VALIDATED = "valide", "Validé"
    ABANDONED = "abandonne", "Abandonné"


DIAGNOSTIC_TRANSITIONS = {
    DiagnosticStatus.DRAFT: {DiagnosticStatus.VALIDATED, DiagnosticStatus.ABANDONED},
    DiagnosticStatus.VALIDATED: set(),
    DiagnosticStatus.ABANDONED: set(),
}


class Speciality(models.TextChoices):
    SOCIAL = "social", "Social"
    PROFESSIONAL = "professionnel", "Professionnel"


class WorkSituation(models.TextChoices):
    EMPLOYED = "emploi", "En emploi"
    PART_TIME = "emploi_partiel", "En emploi à temps partiel"
    SHORT_CONTRACTS = "contrats_courts", "Intérim ou contrats courts"
    SELF_EMPLOYED = "independant", "Travailleur·se indépendant·e"
    TRAINING = "formation", "En formation"
    JOB_SEEKING = "recherche", "Sans emploi, en recherche"
    NOT_SEEKING = "sans_activite", "Sans activité, pas en recherche actuellement"


# Situations that are an activity "now" for the orientation criteria.
ACTIVE_SITUATIONS = {
    WorkSituation.EMPLOYED,
    WorkSituation.PART_TIME,
    WorkSituation.SHORT_CONTRACTS,
    WorkSituation.SELF_EMPLOYED,
    WorkSituation.TRAINING,
}


class TrainingLevel(models.TextChoices):
    """France Travail nomenclature of training levels, lowest first."""

    AFS = "AFS", "AFS — Aucune formation scolaire"
    CP4 = "CP4", "CP4 — Primaire à 4e"
    CFG = "CFG", "CFG — 4e achevée"
    C3A = "C3A", "C3A — BEPC ou 3e achevée"
    C12 = "C12", "C12 — 2nde ou 1re achevée"
    NV5 = "NV5", "NV5 — CAP, BEP ou équivalent"
    NV4 = "NV4", "NV4 — Bac ou équivalent"
    NV3 = "NV3", "NV3 — Bac+2 ou équivalent"
    NV2 = "NV2", "NV2 — Bac+3, Bac+4 ou équivalent"
    NV1 = "NV1", "NV1 — Bac+5 et plus ou équivalent"


# From this level up, the person holds a recognised qualification (CAP/BEP or above).
QUALIFIED_LEVELS = {TrainingLevel.NV5, TrainingLevel.NV4, TrainingLevel.NV3, TrainingLevel.NV2, TrainingLevel.NV1}


class Readiness(models.TextChoices):
    READY = "pret", "Prêt·e à reprendre un emploi maintenant"
    READY_WITH_SUPPORT = "pret_accompagne", "Prêt·e avec un accompagnement"
    NOT_READY = "pas_pret", "Pas encore prêt·e"


class BarrierLevel(models.TextChoices):
    STRONG = "fort", "Frein fort"
    MEDIUM = "moyen", "Frein moyen"
    NONE = "sans_impact", "Sans impact"


class ContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    INTERIM = "interim", "Intérim"
    ALTERNANCE = "alternance", "Alternance"
    IAE = "iae", "Insertion par l'activité économique"
    INDEPENDANT = "independant", "Création ou reprise d'activité"


class WorkingTime(models.TextChoices):
    FULL = "temps_plein", "Temps plein"
    PART = "temps_partiel", "Temps partiel"
    ANY = "indifferent", "Indifférent"


class DrivingLicence(models.TextChoices):
    AM = "AM", "AM (cyclomoteur)"
    A = "A", "A (moto)"
    B = "B", "B (voiture)"
    BE = "BE", "BE (voiture et remorque)"
    C = "C", "C (poids lourd)"
    CE = "CE", "CE (poids lourd et remorque)"
    D = "D", "D (transport en commun)"


class ProposedPathway(models.TextChoices):
    """The orientation the rules propose. Same values and labels as `pathways.enums.PathwayType`
    (diagnostics sits below pathways and cannot import it; a test keeps both equal)."""

    PROFESSIONAL = "professionnel", "Professionnel"
    SOCIO_PROFESSIONAL = "socio_professionnel", "Socio-professionnel"
    SOCIAL = "social", "Social"
