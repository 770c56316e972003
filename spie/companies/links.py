"""Secure links for people without an account (a company answering, a person or tutor signing).

A link is signed by its randomness (32 bytes), stored only as a SHA-256 hash, expires, serves
once, and is consumed by a button press (POST), never by opening it: e-mail scanners follow
links. Every use and every refused use is written to the audit log.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError

from .models import SecureLink

STATE_MESSAGES = {
    "used": "Ce lien a déjà été utilisé : il ne sert qu'une seule fois.",
    "expired": "Ce lien a expiré : demandez au professionnel qui vous l'a envoyé de vous en adresser un nouveau.",
    "revoked": "Ce lien a été remplacé par un lien plus récent : utilisez le dernier e-mail reçu.",
}


def issue_link(*, purpose, email, territory_id, validity_days, contact_request=None, immersion=None):
    """A new link (earlier usable links for the same object and purpose are revoked); returns
    the link and the raw token, which only ever travels in the e-mail."""
    now = timezone.now()
    SecureLink.objects.filter(
        purpose=purpose,
        contact_request=contact_request,
        immersion=immersion,
        used_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now, updated_at=now)
    raw = SecureLink.new_token()
    link = SecureLink.objects.create(
        territory_id=territory_id,
        purpose=purpose,
        token_hash=SecureLink.hash(raw),
        email=email,
        expires_at=now + datetime.timedelta(days=validity_days),
        contact_request=contact_request,
        immersion=immersion,
    )
    return link, raw


def url_for(raw):
    return settings.SITE_URL + reverse("companies:link", args=[raw])


def find_link(raw):
    """The link this token designates, whatever its state (None if unknown)."""
    return (
        SecureLink.objects.select_related(
            "immersion__company",
            "immersion__tutor",
            "immersion__person",
            "immersion__rome_job",
            "immersion__prescriber__user",
            "immersion__prescriber_organisation",
            "immersion__place_commune",
            "contact_request__company",
            "contact_request__sender__user",
            "contact_request__sender__organisation",
            "contact_request__rome_job",
        )
        .filter(token_hash=SecureLink.hash(raw))
        .first()
    )


def consume(link, *, purpose):
    """Spend the link (locked row, inside the caller's transaction) and audit its use; a link
    already used, expired or replaced is refused with the reason."""
    locked = SecureLink.objects.select_for_update().get(pk=link.pk)
    state = locked.state if locked.purpose == purpose else "wrong"
    if state != "usable":
        raise DomainError(STATE_MESSAGES.get(state, "Ce lien n'est pas valable."))
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at", "updated_at"])
    record_event(
        action="companies.link.used",
        target=locked,
        territory=locked.territory,
        data={"purpose": locked.purpose},
    )
    link.used_at = locked.used_at
    return locked


def refuse(link, state):
    """Log a refused use. Called by the link page outside any transaction, so that the trace
    stays even though nothing else is written."""
    record_event(
        action="companies.link.refused",
        target=link,
        territory=link.territory,
        data={"purpose": link.purpose, "state": state},
    )
