from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class SecretKind(models.TextChoices):
    LINK = "lien", "Lien de connexion"
    CODE = "code", "Code à 6 chiffres"
    INVITATION = "invitation", "Invitation envoyée par un professionnel"


class AttemptKind(models.TextChoices):
    REQUEST = "demande", "Demande de lien ou de code"
    FAILURE = "echec", "Code ou lien refusé"


class AnswerKind(models.TextChoices):
    CONFIRMED = "confirme", "Présence confirmée"
    MOVE_REQUESTED = "report_demande", "Report demandé"


# What the person may say after their last answer to an appointment (None: no answer yet). A person
# who asked to move may still confirm (the new slot suits them after all); a request is sent once.
ANSWER_TRANSITIONS = {
    None: {AnswerKind.CONFIRMED, AnswerKind.MOVE_REQUESTED},
    AnswerKind.CONFIRMED: {AnswerKind.MOVE_REQUESTED},
    AnswerKind.MOVE_REQUESTED: {AnswerKind.CONFIRMED},
}
