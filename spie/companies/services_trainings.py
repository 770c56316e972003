"""Trainings of the territory and positionings on them; company events and their guests."""

from django.db import transaction
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.people.perms import team_seat
from spie.people.services import record_file_write

from .enums import POSITIONING_TRANSITIONS, PositioningStatus
from .models import CompanyEvent, EventParticipant, Training, TrainingPositioning
from .services import territory_of

TRAINING_FIELDS = ["organisation_name", "title", "starts_on", "ends_on", "places", "commune", "funding", "description"]
EVENT_FIELDS = ["kind", "title", "starts_at", "commune", "place", "description"]


# Trainings ---------------------------------------------------------------------------------


@transaction.atomic
def save_training(*, data, rome_jobs, by, training=None):
    if data["ends_on"] < data["starts_on"]:
        raise DomainError("Dates incohérentes : la fin de la session précède son début.", field="ends_on")
    if not rome_jobs:
        raise DomainError("Indiquez au moins un métier visé.", field="rome_jobs")
    creating = training is None
    if creating:
        territory = territory_of(by)
        if territory is None:
            raise DomainError("Seul un professionnel d'un territoire peut ajouter une formation.")
        training = Training(territory=territory, created_by=getattr(by, "membership", None))
    elif training.positionings.count() > data["places"]:
        raise DomainError(
            f"{training.positionings.count()} personnes sont déjà positionnées : gardez au moins autant de places.",
            field="places",
        )
    for name in TRAINING_FIELDS:
        setattr(training, name, data[name])
    training.save()
    training.rome_jobs.set(rome_jobs)
    record_event(
        action="companies.training.created" if creating else "companies.training.updated",
        target=training,
        by=by,
        territory=training.territory,
        data={"rome": sorted(job.code for job in rome_jobs)},
    )
    return training


@transaction.atomic
def position_person(*, training, person, note="", by):
    """Put a followed person on a session (they start « positionné·e »)."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    if team_seat(by.membership, person) is None:
        raise DomainError("Seuls les membres de l'équipe de suivi peuvent positionner cette personne.")
    if training.territory_id != person.territory_id:
        raise DomainError("Cette formation n'est pas dans le territoire de la personne.")
    if training.ends_on < timezone.localdate():
        raise DomainError("Cette session est terminée.")
    if TrainingPositioning.objects.filter(training=training, person=person).exists():
        raise DomainError("La personne est déjà positionnée sur cette session.")
    taken = training.positionings.exclude(status=PositioningStatus.DROPPED_OUT).count()
    if taken >= training.places:
        raise DomainError(f"Les {training.places} places de cette session sont prises.")
    positioning = TrainingPositioning.objects.create(
        training=training, territory_id=training.territory_id, person=person, positioned_by=by.membership, note=note
    )
    record_file_write(
        person,
        by=by,
        action="companies.positioning.created",
        what="Positionnement sur une formation",
        target=positioning,
        data={"training": str(training.public_id)},
    )
    return positioning


STEP_ACTIONS = {
    PositioningStatus.ENROLLED: ("companies.positioning.enrolled", "Inscription en formation"),
    PositioningStatus.ENTERED: ("companies.positioning.entered", "Entrée en formation"),
    PositioningStatus.COMPLETED: ("companies.positioning.completed", "Fin de formation"),
    PositioningStatus.DROPPED_OUT: ("companies.positioning.dropped_out", "Abandon de formation"),
}


@transaction.atomic
def move_positioning(*, positioning, status, note="", by):
    """One step of positionné → inscrit → entré → terminé, or abandon (with a comment)."""
    positioning = (
        TrainingPositioning.objects.select_for_update().select_related("person", "training").get(pk=positioning.pk)
    )
    if status not in POSITIONING_TRANSITIONS[positioning.status]:
        raise DomainError(
            f"Ce positionnement est « {positioning.get_status_display().lower()} » : "
            f"il ne peut pas passer à « {PositioningStatus(status).label.lower()} »."
        )
    if status == PositioningStatus.DROPPED_OUT and not note.strip():
        raise DomainError("Indiquez la raison de l'abandon.", field="note")
    if status == PositioningStatus.ENTERED and timezone.localdate() < positioning.training.starts_on:
        raise DomainError(
            f"La session commence le {positioning.training.starts_on:%d/%m/%Y} : l'entrée ne peut pas être "
            "enregistrée avant."
        )
    positioning.status = status
    positioning.status_changed_at = timezone.now()
    if note.strip():
        positioning.note = note.strip()[:500]
    positioning.save()
    action, what = STEP_ACTIONS[status]
    record_file_write(
        positioning.person,
        by=by,
        action=action,
        what=what,
        target=positioning,
        data={"training": str(positioning.training.public_id)},
    )
    return positioning


# Events ------------------------------------------------------------------------------------


@transaction.atomic
def save_event(*, data, companies, by, event=None):
    creating = event is None
    if creating:
        territory = territory_of(by)
        if territory is None:
            raise DomainError("Seul un professionnel d'un territoire peut organiser un événement.")
        event = CompanyEvent(territory=territory, organiser=getattr(by, "membership", None))
    if any(company.territory_id != event.territory_id for company in companies):
        raise DomainError("Les entreprises doivent être du territoire de l'événement.", field="companies")
    for name in EVENT_FIELDS:
        setattr(event, name, data[name])
    event.save()
    event.companies.set(companies)
    record_event(
        action="companies.event.created" if creating else "companies.event.updated",
        target=event,
        by=by,
        territory=event.territory,
        data={"kind": event.kind, "companies": len(companies)},
    )
    return event


@transaction.atomic
def invite_person(*, event, person, by):
    if team_seat(by.membership, person) is None:
        raise DomainError("Seuls les membres de l'équipe de suivi peuvent inviter cette personne.")
    if event.territory_id != person.territory_id:
        raise DomainError("Cet événement n'est pas dans le territoire de la personne.")
    if event.starts_at < timezone.now():
        raise DomainError("Cet événement a déjà eu lieu.")
    participant, created = EventParticipant.objects.get_or_create(
        event=event, person=person, defaults={"territory_id": event.territory_id, "invited_by": by.membership}
    )
    if not created:
        raise DomainError("La personne est déjà invitée à cet événement.")
    record_file_write(
        person,
        by=by,
        action="companies.event.invited",
        what="Invitation à un événement entreprises",
        target=participant,
        data={"event": str(event.public_id)},
    )
    return participant


@transaction.atomic
def record_participation(*, participant, present, outcome="", by):
    participant.present = present
    participant.outcome = outcome.strip()[:255]
    participant.save(update_fields=["present", "outcome", "updated_at"])
    record_file_write(
        participant.person,
        by=by,
        action="companies.event.attended" if present else "companies.event.absent",
        what="Présence à un événement entreprises",
        target=participant,
        data={"event": str(participant.event.public_id)},
    )
    return participant


@transaction.atomic
def record_event_outcomes(*, event, outcomes, hires_count, by):
    if event.starts_at > timezone.now():
        raise DomainError("Le bilan s'enregistre après l'événement.")
    event.outcomes = outcomes.strip()
    event.hires_count = hires_count
    event.save(update_fields=["outcomes", "hires_count", "updated_at"])
    record_event(
        action="companies.event.outcomes_recorded",
        target=event,
        by=by,
        territory=event.territory,
        data={"hires": hires_count},
    )
    return event
