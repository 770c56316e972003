from django.db import models


class BodyKind(models.TextChoices):
    SUPPORT_GROUP = "groupe_appui", "Groupe d'appui (comité de suivi des parcours)"
    RSA_TEAM = "equipe_pluridisciplinaire", "Équipe pluridisciplinaire RSA"


class SessionStatus(models.TextChoices):
    PLANNED = "prevue", "En préparation"
    PUBLISHED = "ordre_du_jour_publie", "Ordre du jour publié"
    HELD = "tenue", "Tenue"
    CLOSED = "cloturee", "Compte rendu signé"
    CANCELLED = "annulee", "Annulée"


SESSION_TRANSITIONS = {
    SessionStatus.PLANNED: {SessionStatus.PUBLISHED, SessionStatus.CANCELLED},
    SessionStatus.PUBLISHED: {SessionStatus.HELD, SessionStatus.CANCELLED},
    SessionStatus.HELD: {SessionStatus.CLOSED},
    SessionStatus.CLOSED: set(),
    SessionStatus.CANCELLED: set(),
}
# Sessions whose agenda the members may read.
PUBLISHED_STATUSES = [SessionStatus.PUBLISHED, SessionStatus.HELD, SessionStatus.CLOSED]


class AttendanceStatus(models.TextChoices):
    INVITED = "invite", "Invité·e"
    PRESENT = "present", "Présent·e"
    EXCUSED = "excuse", "Excusé·e"
    ABSENT = "absent", "Absent·e"


class CaseStatus(models.TextChoices):
    REFERRED = "proposee", "Proposée, en attente d'inscription"
    SCHEDULED = "inscrite", "Inscrite à l'ordre du jour"
    DISCUSSED = "examinee", "Examinée"
    WITHDRAWN = "retiree", "Retirée"


CASE_TRANSITIONS = {
    CaseStatus.REFERRED: {CaseStatus.SCHEDULED, CaseStatus.WITHDRAWN},
    # Back to the waiting list when its session is cancelled or closes without discussing it.
    CaseStatus.SCHEDULED: {CaseStatus.DISCUSSED, CaseStatus.REFERRED, CaseStatus.WITHDRAWN},
    CaseStatus.DISCUSSED: set(),
    CaseStatus.WITHDRAWN: set(),
}
OPEN_CASE_STATUSES = [CaseStatus.REFERRED, CaseStatus.SCHEDULED]


class CaseSource(models.TextChoices):
    STATUS_REVIEW = "point_de_situation", "Conclusion d'un point de situation"
    SITUATION = "suivi_des_alertes", "Point de situation (suivi des alertes)"
    INVITATION = "invitation", "Invitation du ou de la coordinateur·rice"
    FILE = "dossier", "Dossier de la personne"


class DecisionKind(models.TextChoices):
    REORIENTATION = "avis_reorientation", "Avis sur une réorientation"
    REDUCTION = "avis_reduction", "Avis sur une réduction du RSA"
    SUSPENSION = "avis_suspension", "Avis sur une suspension du RSA"
    RECOMMENDATION = "preconisation", "Préconisation"
    OTHER = "autre", "Autre décision"


# The legal body (équipe pluridisciplinaire) records its opinions by type; a support group
# records recommendations.
DECISION_KINDS = {
    "equipe_pluridisciplinaire": [
        DecisionKind.REORIENTATION,
        DecisionKind.REDUCTION,
        DecisionKind.SUSPENSION,
        DecisionKind.OTHER,
    ],
    "groupe_appui": [DecisionKind.RECOMMENDATION, DecisionKind.OTHER],
}
LEGAL_OPINIONS = {DecisionKind.REORIENTATION, DecisionKind.REDUCTION, DecisionKind.SUSPENSION}


class Opinion(models.TextChoices):
    FAVOURABLE = "favorable", "Avis favorable"
    UNFAVOURABLE = "defavorable", "Avis défavorable"


class ActionStatus(models.TextChoices):
    OPEN = "a_faire", "À faire"
    DONE = "realisee", "Réalisée"
    CANCELLED = "annulee", "Annulée"


ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: set(),
    ActionStatus.CANCELLED: set(),
}


class Form(models.TextChoices):
    """The form in which a case is shown to a reader."""

    NAMED = "nominative", "Nominative"
    PSEUDONYMISED = "pseudonymisee", "Pseudonymisée"
