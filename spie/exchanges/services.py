"""Joint events and registrations: every write is atomic and audited; statuses move only along
`EVENT_TRANSITIONS` and `REGISTRATION_TRANSITIONS`, one service per transition."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError

from .enums import EVENT_TRANSITIONS, REGISTRATION_TRANSITIONS, EventStatus, RegistrationStatus
from .ics import event_ics
from .models import EventRegistration, JointEvent
from .perms import can_publish_event, can_register

EVENT_FIELDS = ["kind", "topic", "description", "starts_at", "ends_at", "place", "capacity", "registration_deadline"]
# A change of one of these is e-mailed to the registered professionals.
NOTIFIED_FIELDS = {"starts_at": "date et heure", "ends_at": "heure de fin", "place": "lieu"}


def when_label(event):
    """« lundi 30 novembre 2026 de 9 h 30 à 12 h » in the current (territory's) time zone."""

    def hour(moment):
        return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"

    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return f"{day} de {hour(start)} à {hour(end)}"
    return f"du {day} à {hour(start)} au {formats.date_format(end, 'l j F Y')} à {hour(end)}"


def _notify(event, registrations, *, subject, template, extra=None, cancel=False):
    """One e-mail per professional, with the event's .ics, sent once the transaction commits."""
    messages = []
    for registration in registrations:
        email = registration.membership.user.email
        if not email:
            continue
        context = {
            "event": event,
            "registration": registration,
            "when": when_label(event),
            "site_url": settings.SITE_URL,
            **(extra or {}),
        }
        message = EmailMessage(subject, render_to_string(template, context), None, [email])
        message.attach("temps-commun.ics", event_ics(event, cancel=cancel), "text/calendar; charset=utf-8")
        messages.append(message)
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))


def _audit(action, *, event, by, target=None, data=None):
    record_event(action=action, target=target or event, by=by, territory=event.territory, data=data)


def _locked(event):
    return JointEvent.objects.select_for_update().select_related("territory", "organiser").get(pk=event.pk)


def _active_registrations(event):
    return (
        EventRegistration.objects.filter(event=event)
        .active()
        .select_related("membership__user", "organisation")
        .order_by("registered_at", "pk")
    )


def _refresh_counts(event):
    """Recount the event's places, waiting list, attendees and structures represented."""
    counts = EventRegistration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        attendees=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED, attended=True)),
        structures=Count("organisation", filter=Q(status=RegistrationStatus.REGISTERED, attended=True), distinct=True),
    )
    event.registered_count = counts["registered"]
    event.waitlist_count = counts["waitlisted"]
    event.attendees_count = counts["attendees"]
    event.structures_count = counts["structures"]
    event.save(
        update_fields=["registered_count", "waitlist_count", "attendees_count", "structures_count", "updated_at"]
    )


def _check_event_data(data):
    if data["ends_at"] <= data["starts_at"]:
        raise DomainError("Dates incohérentes : la fin doit suivre le début.", field="ends_at")
    if data["registration_deadline"] > data["starts_at"]:
        raise DomainError(
            "La date limite d'inscription doit précéder le début du temps commun.", field="registration_deadline"
        )


def _move_event(event, status):
    if status not in EVENT_TRANSITIONS[event.status]:
        raise DomainError(
            f"Ce temps commun est « {event.get_status_display().lower()} » : "
            f"il ne peut pas passer à « {EventStatus(status).label.lower()} »."
        )
    event.status = status
    event.status_changed_at = timezone.now()


def _move_registration(registration, status):
    if status not in REGISTRATION_TRANSITIONS[registration.status]:
        raise DomainError(
            f"Cette inscription est « {registration.get_status_display().lower()} » : "
            f"elle ne peut pas passer à « {RegistrationStatus(status).label.lower()} »."
        )
    registration.status = status
    registration.status_changed_at = timezone.now()


# Events ------------------------------------------------------------------------------------


@transaction.atomic
def publish_event(*, data, by):
    """Publish a joint event in the name of the publisher's structure, for its territory."""
    membership = by.membership
    if not can_publish_event(membership):
        raise DomainError("Seul·es les coordinateur·rices et gestionnaires de structure publient un temps commun.")
    data = {**data, "registration_deadline": data.get("registration_deadline") or data["starts_at"]}
    if data["starts_at"] <= timezone.now():
        raise DomainError("Le début doit être dans le futur.", field="starts_at")
    _check_event_data(data)
    event = JointEvent(
        territory=membership.organisation.territory,
        organiser=membership.organisation,
        created_by=membership,
        **{name: data[name] for name in EVENT_FIELDS},
    )
    event.save()
    _audit("exchanges.event.published", event=event, by=by, data={"kind": event.kind, "capacity": event.capacity})
    return event


@transaction.atomic
def update_event(*, event, data, by):
    """Change a published event; the registered professionals are told of a new date or place, and
    new places go first to the waiting list."""
    event = _locked(event)
    if event.status != EventStatus.PUBLISHED:
        raise DomainError(f"Ce temps commun est « {event.get_status_display().lower()} » : il ne se modifie plus.")
    data = {**data, "registration_deadline": data.get("registration_deadline") or data["starts_at"]}
    _check_event_data(data)
    if data["starts_at"] != event.starts_at and data["starts_at"] <= timezone.now():
        raise DomainError("Le nouveau début doit être dans le futur.", field="starts_at")
    if data["capacity"] < event.registered_count:
        raise DomainError(
            f"{event.registered_count} professionnels sont déjà inscrits : gardez au moins autant de places.",
            field="capacity",
        )
    changed = [name for name in EVENT_FIELDS if getattr(event, name) != data[name]]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, data[name])
    event.save()
    _audit("exchanges.event.updated", event=event, by=by, data={"fields": changed})
    notified = [label for name, label in NOTIFIED_FIELDS.items() if name in changed]
    if notified:
        _notify(
            event,
            _active_registrations(event),
            subject=f"Temps commun modifié : {event.topic}",
            template="exchanges/emails/event_changed.txt",
            extra={"changes": notified},
        )
    _promote_waitlist(event, by=by)
    return event


@transaction.atomic
def cancel_event(*, event, reason, by):
    """Cancel a published event (with its reason); every registered or waiting professional is told."""
    event = _locked(event)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Indiquez le motif de l'annulation : il est envoyé aux inscrit·es.", field="reason")
    _move_event(event, EventStatus.CANCELLED)
    event.cancel_reason = reason[:500]
    event.save()
    _audit("exchanges.event.cancelled", event=event, by=by)
    _notify(
        event,
        _active_registrations(event),
        subject=f"Temps commun annulé : {event.topic}",
        template="exchanges/emails/event_cancelled.txt",
        cancel=True,
    )
    return event


@transaction.atomic
def record_attendance(*, event, marks, by):
    """Record who attended (`marks`: registration public id → True/False) among the registered
    professionals; the first recording marks the event as held."""
    event = _locked(event)
    if event.status == EventStatus.CANCELLED:
        raise DomainError("Ce temps commun est annulé : il n'y a pas de présence à noter.")
    if event.starts_at > timezone.now():
        raise DomainError("Les présences se notent à partir du début du temps commun.")
    registrations = {
        str(registration.public_id): registration
        for registration in EventRegistration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    }
    unknown = set(marks) - set(registrations)
    if unknown:
        raise DomainError("Une des personnes cochées n'est pas inscrite à ce temps commun.")
    now = timezone.now()
    changed = []
    for key, attended in marks.items():
        registration = registrations[key]
        if registration.attended != attended:
            registration.attended = attended
            registration.attendance_recorded_at = now
            changed.append(registration)
    EventRegistration.objects.bulk_update(changed, ["attended", "attendance_recorded_at", "updated_at"])
    if event.status == EventStatus.PUBLISHED:
        _move_event(event, EventStatus.HELD)
        event.save(update_fields=["status", "status_changed_at", "updated_at"])
        _audit("exchanges.event.held", event=event, by=by)
    _refresh_counts(event)
    _audit(
        "exchanges.event.attendance_recorded",
        event=event,
        by=by,
        data={
            "present": event.attendees_count,
            "absent": sum(1 for r in registrations.values() if r.attended is False),
            "structures": event.structures_count,
        },
    )
    return event


# Registrations -----------------------------------------------------------------------------


@transaction.atomic
def register_for_event(*, event, membership, by):
    """Register a professional: a place while there is one, else the waiting list."""
    event = _locked(event)
    if not can_register(membership, event):
        raise DomainError("Seuls les professionnels du territoire s'inscrivent à ce temps commun.")
    if event.status != EventStatus.PUBLISHED:
        raise DomainError(f"Ce temps commun est « {event.get_status_display().lower()} ».")
    if timezone.now() >= event.registration_deadline:
        raise DomainError("Les inscriptions sont closes.")
    registration = EventRegistration.objects.filter(event=event, membership=membership).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise DomainError(f"Vous êtes déjà « {registration.get_status_display().lower()} » pour ce temps commun.")
    full = event.registered_count >= event.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    if registration is None:
        registration = EventRegistration(
            event=event, territory_id=event.territory_id, membership=membership, status=status
        )
    else:
        _move_registration(registration, status)
        registration.registered_at = timezone.now()
    registration.organisation_id = membership.organisation_id
    registration.save()
    _refresh_counts(event)
    action = "exchanges.registration.waitlisted" if full else "exchanges.registration.created"
    _audit(action, event=event, by=by, target=registration, data={"event": str(event.public_id)})
    return registration


@transaction.atomic
def cancel_registration(*, registration, by):
    """A professional withdraws, until the event starts; a freed place goes to the waiting list."""
    event = _locked(registration.event)
    registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        raise DomainError("Le temps commun a commencé ou n'est plus ouvert : la désinscription n'est plus possible.")
    _move_registration(registration, RegistrationStatus.CANCELLED)
    registration.save()
    _refresh_counts(event)
    _audit("exchanges.registration.cancelled", event=event, by=by, target=registration)
    _promote_waitlist(event, by=by)
    return registration


def _promote_waitlist(event, *, by):
    """Give the free places to the waiting list, first come first served; each one is told."""
    free = event.capacity - event.registered_count
    if free <= 0 or not event.waitlist_count:
        return []
    promoted = list(
        EventRegistration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("membership__user")
        .order_by("registered_at", "pk")[:free]
    )
    for registration in promoted:
        _move_registration(registration, RegistrationStatus.REGISTERED)
        registration.save()
        _audit("exchanges.registration.promoted", event=event, by=by, target=registration)
    _refresh_counts(event)
    _notify(
        event,
        promoted,
        subject=f"Une place s'est libérée : {event.topic}",
        template="exchanges/emails/registration_promoted.txt",
    )
    return promoted


@transaction.atomic
def rate_event(*, registration, rating, comment="", by):
    """An attendee rates the event once it is over (1 to 5, with an optional comment)."""
    registration = EventRegistration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    event = registration.event
    if event.status != EventStatus.HELD or event.ends_at > timezone.now():
        raise DomainError("L'évaluation s'ouvre à la fin du temps commun, une fois les présences notées.")
    if registration.attended is not True:
        raise DomainError("Seul·es les participant·es présent·es évaluent ce temps commun.")
    if registration.rated_at is not None:
        raise DomainError("Vous avez déjà évalué ce temps commun.")
    if rating not in range(1, 6):
        raise DomainError("La note va de 1 à 5.", field="rating")
    registration.rating = rating
    registration.rating_comment = (comment or "").strip()[:1000]
    registration.rated_at = timezone.now()
    registration.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _audit("exchanges.registration.rated", event=event, by=by, target=registration, data={"rating": rating})
    return registration
