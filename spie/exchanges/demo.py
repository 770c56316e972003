"""Demo joint events of each territory: held ones with attendance and ratings, one cancelled,
upcoming ones (one full, with a waiting list) and their registrations, inserted in bulk."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.territories.models import Territory

from .enums import EventKind, EventStatus, RegistrationStatus
from .models import EventRegistration, JointEvent

# (days from today, hour, duration in hours, kind, topic, capacity, registrations, status)
PLAN = [
    (-45, 9, 3, EventKind.TRAINING, "Le diagnostic socio-professionnel partagé", 20, 16, EventStatus.HELD),
    (-30, 14, 2, EventKind.PRACTICE_EXCHANGE, "Freins à la mobilité : nos pratiques", 15, 12, EventStatus.HELD),
    (-16, 9, 2, EventKind.INFORMATION, "Le contrat d'engagement et les 15 heures d'activité", 40, 25, EventStatus.HELD),
    (-9, 9, 7, EventKind.IMMERSION, "Une journée à la Mission locale", 4, 4, EventStatus.HELD),
    (-3, 14, 2, EventKind.PRACTICE_EXCHANGE, "Accompagner vers le logement", 12, 5, EventStatus.CANCELLED),
    (6, 9, 3, EventKind.TRAINING, "Repérer et orienter les situations de santé", 10, 13, EventStatus.PUBLISHED),
    (14, 14, 2, EventKind.INFORMATION, "Les métiers en tension du territoire", 30, 11, EventStatus.PUBLISHED),
    (27, 9, 3, EventKind.PRACTICE_EXCHANGE, "Le suivi dans l'emploi des premiers mois", 20, 6, EventStatus.PUBLISHED),
]
COMMENTS = [
    "Très concret, des outils réutilisables.",
    "Utile pour connaître les collègues des autres structures.",
    "Un peu court, à refaire sur une journée.",
    "",
]


def _publishers(memberships):
    return [m for m in memberships if m.role in (Role.COORDINATEUR, Role.GESTIONNAIRE)]


def _seed_territory(territory, context, now):
    memberships = list(
        Membership.objects.active()
        .filter(organisation__territory=territory)
        .exclude(role=Role.ADMIN_NATIONAL)
        .select_related("organisation")
        .order_by("pk")
    )
    publishers = _publishers(memberships)
    if not publishers:
        return 0, 0
    rng, zone = context.rng, ZoneInfo(territory.time_zone)
    today = timezone.localtime(now, zone).date()
    events, plans = [], []
    for days, hour, hours, kind, topic, capacity, count, status in PLAN:
        publisher = rng.choice(publishers)
        starts_at = datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour), zone)
        events.append(
            JointEvent(
                territory=territory,
                organiser=publisher.organisation,
                created_by=publisher,
                kind=kind,
                topic=topic,
                description="Temps commun ouvert aux professionnels de toutes les structures du territoire.",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=hours),
                place=f"{publisher.organisation.name}, salle de réunion",
                capacity=capacity,
                registration_deadline=starts_at - datetime.timedelta(days=1),
                status=status,
                cancel_reason="Intervenante indisponible, le temps commun sera reprogrammé."
                if status == EventStatus.CANCELLED
                else "",
            )
        )
        plans.append(count)
    events = JointEvent.objects.bulk_create(events)
    registrations = []
    for event, count in zip(events, plans, strict=True):
        chosen = rng.sample(memberships, min(count, len(memberships)))
        held = event.status == EventStatus.HELD
        attendee_orgs = set()
        for index, membership in enumerate(chosen):
            status = RegistrationStatus.REGISTERED if index < event.capacity else RegistrationStatus.WAITLISTED
            attended = (rng.random() < 0.8) if held and status == RegistrationStatus.REGISTERED else None
            rated = attended and rng.random() < 0.6
            registrations.append(
                EventRegistration(
                    event=event,
                    territory=territory,
                    membership=membership,
                    organisation=membership.organisation,
                    status=status,
                    registered_at=event.starts_at - datetime.timedelta(days=rng.randint(2, 20)),
                    attended=attended,
                    attendance_recorded_at=event.ends_at if attended is not None else None,
                    rating=rng.choice([3, 4, 4, 5, 5]) if rated else None,
                    rating_comment=rng.choice(COMMENTS) if rated else "",
                    rated_at=event.ends_at + datetime.timedelta(days=1) if rated else None,
                )
            )
            event.registered_count += status == RegistrationStatus.REGISTERED
            event.waitlist_count += status == RegistrationStatus.WAITLISTED
            if attended:
                event.attendees_count += 1
                attendee_orgs.add(membership.organisation_id)
        event.structures_count = len(attendee_orgs)
    EventRegistration.objects.bulk_create(registrations)
    JointEvent.objects.bulk_update(
        events, ["registered_count", "waitlist_count", "attendees_count", "structures_count"]
    )
    return len(events), len(registrations)


def seed(context):
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    now = timezone.now()
    events = registrations = 0
    for territory in territories:
        added = _seed_territory(territory, context, now)
        events, registrations = events + added[0], registrations + added[1]
    return f"{events} temps communs, {registrations} inscriptions"
