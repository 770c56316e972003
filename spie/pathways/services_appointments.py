"""Appointments: planning (invitation by e-mail with an .ics, and SMS), status, reminders.
Each write keeps the pathway's appointment dates (and so its alerts) up to date."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone

from spie.core.errors import DomainError
from spie.people.models import FollowUpMember, active_team_q
from spie.people.services import record_file_write

from . import services, sms
from .enums import (
    APPOINTMENT_TRANSITIONS,
    AppointmentChannel,
    AppointmentKind,
    AppointmentStatus,
    Stage,
)
from .ics import appointment_ics
from .models import Appointment, AppointmentReminder

PAST_LIMIT_DAYS = 90
FUTURE_LIMIT_DAYS = 366


def team_memberships(person):
    """Memberships of the person's active follow-up team (who may hold an appointment)."""
    from spie.accounts.models import Membership

    seats = FollowUpMember.objects.filter(active_team_q(), person=person).values("membership_id")
    return Membership.objects.active().filter(pk__in=seats).select_related("user", "organisation")


def local_label(moment, territory):
    """« lundi 30 novembre 2026 à 9 h 30 » in the territory's time zone."""
    local = timezone.localtime(moment, ZoneInfo(territory.time_zone))
    day = formats.date_format(local, "l j F Y")
    minutes = f"{local.minute:02d}" if local.minute else ""
    return f"{day} à {local.hour} h {minutes}".rstrip()


def _message(appointment, template, subject, *, cancel=False, days_before=None):
    person = appointment.person
    context = {
        "appointment": appointment,
        "person": person,
        "when": local_label(appointment.starts_at, person.territory),
        "days_before": days_before,
        "site_url": settings.SITE_URL,
    }
    email = EmailMessage(subject, render_to_string(template, context), None, [person.email])
    email.attach("rendez-vous.ics", appointment_ics(appointment, cancel=cancel), "text/calendar; charset=utf-8")
    return email


def _sms_text(appointment, intro):
    territory = appointment.person.territory
    organisation = appointment.professional.organisation.name
    return f"{intro} {local_label(appointment.starts_at, territory)}, {organisation}. Plateforme SPIE."


def _notify(appointment, *, template, subject, sms_intro, cancel=False):
    person = appointment.person
    if person.email:
        email = _message(appointment, template, subject, cancel=cancel)
        transaction.on_commit(email.send)
    if person.phone:
        text = _sms_text(appointment, sms_intro)
        transaction.on_commit(lambda: sms.send_sms(person.phone, text))
    return bool(person.email or person.phone)


def _check(pathway, professional, starts_at, duration_minutes, kind, channel, place):
    if not pathway.is_open:
        raise DomainError("Le parcours est clos : on n'y planifie plus de rendez-vous.")
    if professional is None or not team_memberships(pathway.person).filter(pk=professional.pk).exists():
        raise DomainError(
            "Professionnel·le : choisissez un membre actif de l'équipe de suivi de la personne.", field="professional"
        )
    if starts_at is None:
        raise DomainError("Date et heure : indiquez la date et l'heure du rendez-vous.", field="starts_at")
    now = timezone.now()
    if starts_at < now - datetime.timedelta(days=PAST_LIMIT_DAYS):
        raise DomainError(
            f"Date et heure : un rendez-vous passé s'enregistre dans les {PAST_LIMIT_DAYS} jours.", field="starts_at"
        )
    if starts_at > now + datetime.timedelta(days=FUTURE_LIMIT_DAYS):
        raise DomainError("Date et heure : au plus tard dans un an.", field="starts_at")
    if not duration_minutes or not 5 <= duration_minutes <= 480:
        raise DomainError("Durée : entre 5 minutes et 8 heures.", field="duration_minutes")
    if kind not in AppointmentKind.values:
        raise DomainError("Nature : choisissez une nature de rendez-vous.", field="kind")
    if channel not in AppointmentChannel.values:
        raise DomainError("Modalité : choisissez présentiel, téléphone ou visioconférence.", field="channel")
    if channel == AppointmentChannel.VIDEO and not (place or "").strip():
        raise DomainError("Lieu ou lien : indiquez le lien de la visioconférence.", field="place")


@transaction.atomic
def plan_appointment(
    *,
    pathway,
    professional,
    starts_at,
    by,
    duration_minutes=45,
    kind=AppointmentKind.FOLLOW_UP,
    channel=AppointmentChannel.IN_PERSON,
    place="",
):
    """Plan an appointment; a future one is sent to the person (e-mail with .ics, SMS)."""
    pathway = services.open_pathway_of(pathway.person) if pathway.pk is None else pathway
    _check(pathway, professional, starts_at, duration_minutes, kind, channel, place)
    appointment = Appointment.objects.create(
        person=pathway.person,
        pathway=pathway,
        territory_id=pathway.territory_id,
        professional=professional,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        channel=channel,
        place=(place or "").strip(),
        created_by=by.membership,
    )
    if starts_at > timezone.now():
        sent = _notify(
            appointment,
            template="emails/pathways_appointment_invitation.txt",
            subject="Votre rendez-vous d'accompagnement",
            sms_intro="Rendez-vous d'accompagnement le",
        )
        if sent:
            appointment.invitation_sent_at = timezone.now()
            appointment.save(update_fields=["invitation_sent_at"])
    services.refresh_appointment_facts(pathway)
    record_file_write(
        pathway.person,
        by=by,
        action="pathways.appointment.planned",
        what="Rendez-vous planifié",
        target=appointment,
        data={"kind": kind, "channel": channel, "starts_at": starts_at.isoformat()},
    )
    return appointment


@transaction.atomic
def record_appointment_status(*, appointment, status, by, note=""):
    """Seen, excused, no-show (once the time has come) or cancelled; the pathway's dates follow
    and a first appointment seen after the signature starts the accompaniment."""
    appointment = (
        Appointment.objects.select_for_update().select_related("pathway", "person__territory").get(pk=appointment.pk)
    )
    if status not in APPOINTMENT_TRANSITIONS.get(appointment.status, set()):
        raise DomainError(
            f"Statut : un rendez-vous « {AppointmentStatus(appointment.status).label.lower()} » ne peut pas passer à "
            f"« {AppointmentStatus(status).label.lower() if status in AppointmentStatus.values else status} ».",
            field="status",
        )
    if status in (AppointmentStatus.SEEN, AppointmentStatus.NO_SHOW) and appointment.starts_at > timezone.now():
        raise DomainError("Statut : un rendez-vous à venir ne peut être qu'annulé ou excusé.", field="status")
    previous = appointment.status
    appointment.status, appointment.status_note = status, (note or "").strip()[:500]
    appointment.status_recorded_at, appointment.status_recorded_by = timezone.now(), by.membership
    appointment.save()
    pathway = appointment.pathway
    services.refresh_appointment_facts(pathway)
    record_file_write(
        appointment.person,
        by=by,
        action=f"pathways.appointment.{_ACTIONS[status]}",
        what=f"Rendez-vous : {AppointmentStatus(status).label.lower()}",
        target=appointment,
        data={"from": previous, "to": status},
    )
    if status == AppointmentStatus.CANCELLED and appointment.starts_at > timezone.now():
        _notify(
            appointment,
            template="emails/pathways_appointment_cancelled.txt",
            subject="Votre rendez-vous est annulé",
            sms_intro="Rendez-vous annulé :",
            cancel=True,
        )
    if (
        status == AppointmentStatus.SEEN
        and pathway.stage == Stage.CONTRACT_SIGNED
        and pathway_day(appointment) >= (pathway.contract_signed_on or pathway.stage_since)
    ):
        services.start_accompaniment(
            pathway=pathway, by=by, on=max(pathway.stage_since, min(timezone.localdate(), pathway_day(appointment)))
        )
    return appointment


def pathway_day(appointment):
    return timezone.localtime(appointment.starts_at, ZoneInfo(appointment.person.territory.time_zone)).date()


_ACTIONS = {
    AppointmentStatus.SEEN: "seen",
    AppointmentStatus.EXCUSED: "excused",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.NO_SHOW: "no_show",
}


def reminders_due(territory, policy, today=None):
    """(appointment, days before) pairs whose reminder is due today in this territory: planned
    appointments starting exactly that many days ahead (territory's calendar), created before
    today (otherwise the invitation has just been sent), and not yet reminded for that delay."""
    today = today or timezone.localdate()
    zone = ZoneInfo(territory.time_zone)
    midnight = datetime.datetime.combine(today, datetime.time.min, zone)
    due = []
    for days in sorted({policy.appointment_first_reminder_days, policy.appointment_second_reminder_days}):
        start = midnight + datetime.timedelta(days=days)
        appointments = (
            Appointment.objects.filter(
                territory=territory,
                status=AppointmentStatus.PLANNED,
                starts_at__gte=start,
                starts_at__lt=start + datetime.timedelta(days=1),
                created_at__lt=midnight,
            )
            .exclude(reminders__days_before=days)
            .select_related("person__territory", "professional__user", "professional__organisation")
            .order_by("starts_at", "pk")
        )
        due.extend((appointment, days) for appointment in appointments)
    return due


def send_reminder(appointment, days_before):
    """Send one reminder (e-mail with .ics, SMS) and record it; False if it was already sent."""
    person = appointment.person
    try:
        with transaction.atomic():
            AppointmentReminder.objects.create(
                appointment=appointment,
                territory_id=appointment.territory_id,
                days_before=days_before,
                by_email=bool(person.email),
                by_sms=bool(person.phone),
            )
    except IntegrityError:
        return False
    if person.email:
        subject = "Rappel : votre rendez-vous " + ("demain" if days_before == 1 else f"dans {days_before} jours")
        _message(appointment, "emails/pathways_appointment_reminder.txt", subject, days_before=days_before).send()
    if person.phone:
        sms.send_sms(person.phone, _sms_text(appointment, "Rappel : rendez-vous le"))
    return True
