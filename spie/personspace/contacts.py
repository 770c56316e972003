"""A professional changes the person's e-mail or mobile number: the person's space must not open
to whoever wrote the new contact.

- The previous contact gets a notice of the change (e-mail or SMS, after the commit).
- Until the change is confirmed, a login asked with the new contact sends nothing to it: a code (or
  a link) goes to the previous contact instead, and its use confirms the change; without a
  previous contact, nothing is sent and the referent confirms from the file.
- The referent confirms from the « Espace personnel » tab of the file (audited in the file).
- Nothing in the audit data holds a contact; the rows keep the previous contact only to send the
  confirmation to it.
"""

from django.db import transaction
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.people import services as people_services

from . import login, policies
from .enums import Channel, SecretKind
from .models import ContactChange

CHANNEL_LABELS = {Channel.EMAIL: "adresse e-mail", Channel.SMS: "numéro de mobile"}


def _normalized(channel, value):
    return (value or "").strip().lower() if channel == Channel.EMAIL else (value or "").strip()


def record_contact_change(*, person, channel, previous, by):
    """Called (through spie.core.plugins) in the transaction that changed the contact."""
    now = timezone.now()
    ContactChange.objects.pending().filter(person=person, channel=channel).update(superseded_at=now, updated_at=now)
    new_value = _normalized(channel, person.email if channel == Channel.EMAIL else person.phone)
    previous = _normalized(channel, previous)
    change = None
    if new_value:
        change = ContactChange.objects.create(
            person=person,
            territory_id=person.territory_id,
            channel=channel,
            previous_value=previous,
            new_value_hash=login.identifier_hash(new_value),
            changed_by=getattr(by, "membership", None),
        )
    if previous:
        _notify_previous(person, channel=channel, previous=previous, by=by)
    record_event(
        action="personspace.contact.changed",
        target=change or person,
        by=by,
        territory=person.territory,
        subject=person,
        data={"channel": channel, "previous_told": bool(previous), "pending": change is not None},
    )
    return change


def _notify_previous(person, *, channel, previous, by):
    organisation = by.organisation.name if getattr(by, "organisation", None) is not None else "une structure"
    label = CHANNEL_LABELS[channel]
    if channel == Channel.SMS:
        login.send_sms_soon(
            previous,
            f"Plateforme SPIE : le {label} de votre dossier a été changé par {organisation}. Si vous n'en "
            "êtes pas à l'origine, contactez la structure qui vous accompagne.",
        )
    else:
        login.send_email_soon(
            "Votre adresse e-mail a été changée dans votre dossier",
            "emails/personspace_contact_changed.txt",
            {"label": label, "organisation": organisation},
            previous,
        )


def pending_change(person, channel, id_hash):
    """The unconfirmed change that put this identifier in the person's file, or None."""
    return ContactChange.objects.pending().filter(person=person, channel=channel, new_value_hash=id_hash).first()


def hold_login(*, change, person, channel, id_hash, for_api):
    """A login asked with an unconfirmed new contact: the secret goes to the previous contact (its
    use confirms the change), or nowhere when there is none (the referent confirms)."""
    if change.previous_value:
        kind = SecretKind.CODE if (channel == Channel.SMS or for_api) else SecretKind.LINK
        secret, raw = login.issue_secret(person=person, kind=kind, channel=channel, id_hash=id_hash, for_api=for_api)
        label = CHANNEL_LABELS[channel]
        if channel == Channel.SMS:
            login.send_sms_soon(
                change.previous_value,
                f"Plateforme SPIE : une connexion a été demandée avec le nouveau {label} de votre dossier. "
                f"Si c'est vous, saisissez le code {raw} (valable {policies.CODE_VALIDITY_MINUTES} minutes). "
                "Sinon, ne le communiquez à personne et prévenez la structure qui vous accompagne.",
            )
        else:
            login.send_email_soon(
                "Confirmez la nouvelle adresse e-mail de votre dossier",
                "emails/personspace_contact_confirm.txt",
                {
                    "label": label,
                    "code": raw if kind == SecretKind.CODE else "",
                    "link": login.link_url(raw) if kind == SecretKind.LINK else "",
                    "minutes": policies.CODE_VALIDITY_MINUTES
                    if kind == SecretKind.CODE
                    else policies.LINK_VALIDITY_MINUTES,
                },
                change.previous_value,
            )
    record_event(
        action="personspace.login.held",
        target=change,
        territory=person.territory,
        subject=person,
        data={"channel": channel, "sent_to_previous": bool(change.previous_value), "api": for_api},
    )


def confirm_by_secret(secret):
    """A secret asked with a new contact and sent to the previous one was used: the change is
    confirmed by the person."""
    if not secret.identifier_hash:
        return
    changes = list(
        ContactChange.objects.pending().filter(
            person_id=secret.person_id, channel=secret.channel, new_value_hash=secret.identifier_hash
        )
    )
    for change in changes:
        change.confirmed_at = timezone.now()
        change.save(update_fields=["confirmed_at", "updated_at"])
        record_event(
            action="personspace.contact.confirmed",
            target=change,
            territory=secret.person.territory,
            subject=secret.person,
            data={"channel": change.channel, "by": "personne"},
        )


def has_pending_change(person, channel):
    return ContactChange.objects.pending().filter(person=person, channel=channel).exists()


@transaction.atomic
def confirm_contact_change(*, change, by):
    """The referent confirms the new contact (they checked it with the person)."""
    change = ContactChange.objects.select_for_update().select_related("person__territory").get(pk=change.pk)
    if change.confirmed_at is not None or change.superseded_at is not None:
        raise DomainError("Ce changement de coordonnées n'est plus en attente de confirmation.")
    change.confirmed_at, change.confirmed_by = timezone.now(), by.membership
    change.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    people_services.record_file_write(
        change.person,
        by=by,
        action="personspace.contact.confirmed",
        what="Confirmation d'un changement de coordonnées",
        target=change,
        data={"channel": change.channel, "by": "referent"},
    )
    return change
