from django.db import models


class Step(models.TextChoices):
    """The key moments of the pathway after which the person is asked for their opinion."""

    AFTER_DIAGNOSTIC = "apres_diagnostic", "Après le diagnostic"
    AFTER_CONTRACT = "apres_contrat", "Après le contrat d'engagement"
    EXIT = "sortie", "À la sortie du parcours"
    EMPLOYMENT_M6 = "emploi_m6", "Six mois après la reprise d'emploi"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class AnswerSource(models.TextChoices):
    LINK = "lien", "Lien reçu par e-mail ou SMS"
    SPACE = "espace", "Espace personnel"


class CommentStatus(models.TextChoices):
    PENDING = "a_relire", "À relire"
    PUBLISHED = "publie", "Publié"
    REJECTED = "rejete", "Écarté"


COMMENT_TRANSITIONS = {
    CommentStatus.PENDING: {CommentStatus.PUBLISHED, CommentStatus.REJECTED},
    CommentStatus.PUBLISHED: {CommentStatus.REJECTED},
    CommentStatus.REJECTED: {CommentStatus.PUBLISHED},
}


class MemberKind(models.TextChoices):
    PERSON = "personne", "Personne accompagnée"
    VOLUNTEER = "externe", "Bénévole extérieur·e"


class FeedbackTheme(models.TextChoices):
    WELCOME = "accueil", "Accueil et écoute"
    DELAYS = "delais", "Délais et attentes"
    COORDINATION = "coordination", "Coordination entre structures"
    INFORMATION = "information", "Information et compréhension des démarches"
    DIGITAL = "numerique", "Outils numériques"
    MOBILITY = "mobilite", "Mobilité"
    EMPLOYMENT = "emploi", "Accès à l'emploi et à la formation"
    OTHER = "autre", "Autre"
