"""Secure links to a questionnaire, for people who answer without signing in.

A link is 32 random bytes stored only as a SHA-256 hash; it opens the questionnaire (opening does
not spend it: e-mail scanners follow links) and serves until the questionnaire is answered once
(by the POST of the form) or expires. Every refused use is written to the audit log.
"""

from django.conf import settings
from django.urls import reverse

from spie.core.audit import record_event

from .models import QuestionnaireLink

STATE_MESSAGES = {
    "answered": (
        "Vous avez déjà répondu à ce questionnaire : une seule réponse est enregistrée. Merci de votre participation !"
    ),
    "expired": "Ce questionnaire n'est plus ouvert : le délai pour répondre est dépassé. Merci de votre intérêt.",
    "unknown": "Ce lien n'est pas valable. Vérifiez qu'il est complet, tel que reçu par e-mail ou SMS.",
}


def new_link(invitation):
    """An unsaved link for the invitation and its raw token (which only travels in the message)."""
    raw = QuestionnaireLink.new_token()
    link = QuestionnaireLink(
        invitation=invitation, territory_id=invitation.territory_id, token_hash=QuestionnaireLink.hash(raw)
    )
    return link, raw


def url_for(raw):
    return settings.SITE_URL + reverse("questionnaires:answer_link", args=[raw])


def find_invitation(raw):
    """The invitation this token designates, whatever its state (None if unknown)."""
    link = (
        QuestionnaireLink.objects.select_related("invitation__territory", "invitation__person")
        .filter(token_hash=QuestionnaireLink.hash(raw))
        .first()
    )
    return link.invitation if link else None


def state_of(invitation):
    """'usable', 'answered' or 'expired'."""
    if invitation.answered_at is not None:
        return "answered"
    if invitation.is_expired:
        return "expired"
    return "usable"


def refuse(invitation, state):
    """Log a refused use (outside any transaction, so that the trace stays)."""
    record_event(
        action="questionnaires.link.refused",
        target=invitation,
        territory=invitation.territory,
        data={"step": invitation.step, "state": state},
    )
