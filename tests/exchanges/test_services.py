"""Publishing, registering (places and waiting list), changes, cancellation, attendance and rating."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.exchanges import services
from spie.exchanges.enums import EventStatus, RegistrationStatus
from spie.exchanges.ics import event_ics
from tests.exchanges.conftest import event_data
from tests.exchanges.factories import actor, past, register

pytestmark = pytest.mark.django_db


def _actions(obj):
    return list(AuditEvent.objects.for_target(obj).order_by("id").values_list("action", flat=True))


def test_a_coordinator_publishes_for_the_territory_in_the_name_of_their_structure(event, coordinator, nord):
    assert event.territory == nord and event.organiser.name == "Département du Nord"
    assert event.created_by.user == coordinator and event.status == EventStatus.PUBLISHED
    assert event.registration_deadline == event.starts_at
    assert _actions(event) == ["exchanges.event.published"]


def test_a_structure_manager_publishes_but_a_counsellor_may_not(gestionnaire, conseiller):
    published = services.publish_event(data=event_data(), by=actor(gestionnaire))
    assert published.organiser.name == "France Travail Lille"
    with pytest.raises(DomainError, match="coordinateur·rices et gestionnaires"):
        services.publish_event(data=event_data(), by=actor(conseiller))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": timezone.now() + datetime.timedelta(days=1)}, "ends_at"),
        ({"registration_deadline": timezone.now() + datetime.timedelta(days=30)}, "registration_deadline"),
    ],
)
def test_publishing_refuses_incoherent_dates_naming_the_field(coordinator, changes, field):
    with pytest.raises(DomainError) as error:
        services.publish_event(data=event_data(**changes), by=actor(coordinator))
    assert error.value.field == field


def test_registrations_fill_the_places_then_the_waiting_list(event, conseiller, gestionnaire, other_structure):
    first, second = register(event, conseiller), register(event, gestionnaire)
    third = register(event, other_structure)
    assert [first.status, second.status, third.status] == ["registered", "registered", "waitlisted"]
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count, event.places_left) == (2, 1, 0)
    assert third.organisation.name == "Département du Nord"
    assert _actions(third) == ["exchanges.registration.waitlisted"]
    with pytest.raises(DomainError, match="déjà « inscrit·e »"):
        register(event, conseiller)


def test_professionals_of_another_territory_and_national_admins_cannot_register(event, other_territory, admin_national):
    for user in (other_territory, admin_national):
        with pytest.raises(DomainError, match="professionnels du territoire"):
            register(event, user)


def test_a_withdrawal_gives_the_place_to_the_first_waiting_professional(
    event, conseiller, gestionnaire, other_structure, orientation_officer
):
    mine = register(event, conseiller)
    register(event, gestionnaire)
    waiting = register(event, other_structure)
    register(event, orientation_officer)
    services.cancel_registration(registration=mine, by=actor(conseiller))
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert (event.registered_count, event.waitlist_count) == (2, 1)
    assert _actions(mine)[-1] == "exchanges.registration.cancelled"
    assert _actions(waiting)[-1] == "exchanges.registration.promoted"


def test_the_promoted_professional_gets_an_email_with_the_calendar_file(
    event, conseiller, gestionnaire, other_structure, django_capture_on_commit_callbacks
):
    mine = register(event, conseiller)
    register(event, gestionnaire)
    register(event, other_structure)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=mine, by=actor(conseiller))
    assert [message.to for message in mail.outbox] == [[other_structure.email]]
    assert "Une place s'est libérée" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == "temps-commun.ics"


def test_registration_closes_at_the_deadline_and_withdrawal_at_the_start(event, conseiller, gestionnaire):
    mine = register(event, conseiller)
    with time_machine.travel(event.starts_at + datetime.timedelta(minutes=1)):
        with pytest.raises(DomainError, match="inscriptions sont closes"):
            register(event, gestionnaire)
        with pytest.raises(DomainError, match="désinscription n'est plus possible"):
            services.cancel_registration(registration=mine, by=actor(conseiller))


def test_a_professional_who_withdrew_may_register_again(event, conseiller):
    first = register(event, conseiller)
    services.cancel_registration(registration=first, by=actor(conseiller))
    again = register(event, conseiller)
    assert again.pk == first.pk and again.status == RegistrationStatus.REGISTERED


def test_a_new_date_or_place_is_emailed_and_new_places_go_to_the_waiting_list(
    event, coordinator, conseiller, gestionnaire, other_structure, django_capture_on_commit_callbacks
):
    register(event, conseiller)
    register(event, gestionnaire)
    waiting = register(event, other_structure)
    data = event_data(starts_at=event.starts_at, ends_at=event.ends_at, place="CCAS de Roubaix", capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event=event, data=data, by=actor(coordinator))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    changed = [m for m in mail.outbox if m.subject.startswith("Temps commun modifié")]
    assert sorted(m.to[0] for m in changed) == sorted([conseiller.email, gestionnaire.email, other_structure.email])
    assert "CCAS de Roubaix" in changed[0].body and "(lieu)" in changed[0].body
    assert _actions(event)[-1] == "exchanges.event.updated"


def test_places_cannot_drop_below_the_registered_professionals(event, coordinator, conseiller, gestionnaire):
    register(event, conseiller)
    register(event, gestionnaire)
    data = event_data(starts_at=event.starts_at, ends_at=event.ends_at, capacity=1)
    with pytest.raises(DomainError, match="2 professionnels sont déjà inscrits") as error:
        services.update_event(event=event, data=data, by=actor(coordinator))
    assert error.value.field == "capacity"


def test_cancelling_an_event_needs_a_reason_tells_everyone_and_is_final(
    event,
    coordinator,
    conseiller,
    gestionnaire,
    other_structure,
    orientation_officer,
    django_capture_on_commit_callbacks,
):
    register(event, conseiller)
    register(event, gestionnaire)
    register(event, other_structure)
    with pytest.raises(DomainError) as error:
        services.cancel_event(event=event, reason="  ", by=actor(coordinator))
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, reason="Intervenante malade", by=actor(coordinator))
    assert len(mail.outbox) == 3 and "Motif : Intervenante malade" in mail.outbox[0].body
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    with pytest.raises(DomainError, match="« annulé » : il ne peut pas passer à « annulé »"):
        services.cancel_event(event=event, reason="Encore", by=actor(coordinator))
    with pytest.raises(DomainError, match="annulé"):
        register(event, orientation_officer)


def test_attendance_counts_the_distinct_structures_represented_and_marks_the_event_held(
    event, coordinator, conseiller, gestionnaire, other_structure
):
    event.capacity = 5
    event.save()
    registrations = [register(event, user) for user in (conseiller, gestionnaire, other_structure)]
    marks = {str(r.public_id): True for r in registrations}
    with pytest.raises(DomainError, match="à partir du début"):
        services.record_attendance(event=event, marks=marks, by=actor(coordinator))
    past(event)
    marks[str(registrations[2].public_id)] = False
    event = services.record_attendance(event=event, marks=marks, by=actor(coordinator))
    assert event.status == EventStatus.HELD
    assert (event.attendees_count, event.structures_count) == (2, 1)  # both present are from France Travail Lille
    marks[str(registrations[2].public_id)] = True
    event = services.record_attendance(event=event, marks=marks, by=actor(coordinator))
    assert (event.attendees_count, event.structures_count) == (3, 2)
    assert _actions(event).count("exchanges.event.held") == 1
    assert _actions(event)[-1] == "exchanges.event.attendance_recorded"


def test_only_registered_professionals_get_an_attendance(event, coordinator, conseiller):
    past(event)
    with pytest.raises(DomainError, match="n'est pas inscrite"):
        services.record_attendance(event=event, marks={"inconnu": True}, by=actor(coordinator))


def test_attendees_rate_once_after_the_event(event, coordinator, conseiller, gestionnaire):
    present, absent = register(event, conseiller), register(event, gestionnaire)
    with pytest.raises(DomainError, match="fin du temps commun"):
        services.rate_event(registration=present, rating=4, by=actor(conseiller))
    past(event)
    marks = {str(present.public_id): True, str(absent.public_id): False}
    services.record_attendance(event=event, marks=marks, by=actor(coordinator))
    with pytest.raises(DomainError, match="présent·es"):
        services.rate_event(registration=absent, rating=4, by=actor(gestionnaire))
    with pytest.raises(DomainError, match="de 1 à 5"):
        services.rate_event(registration=present, rating=6, by=actor(conseiller))
    rated = services.rate_event(registration=present, rating=4, comment=" Très utile ", by=actor(conseiller))
    assert (rated.rating, rated.rating_comment, rated.rated_at is not None) == (4, "Très utile", True)
    assert _actions(rated)[-1] == "exchanges.registration.rated"
    with pytest.raises(DomainError, match="déjà évalué"):
        services.rate_event(registration=present, rating=5, by=actor(conseiller))


def test_the_calendar_file_describes_the_event(event):
    text = event_ics(event)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "METHOD:PUBLISH" in text
    assert f"UID:temps-commun-{event.public_id}@" in text
    assert "SUMMARY:Échange de pratiques — Lever les freins à la mobilité" in text
    assert f"DTSTART:{event.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_dates_read_the_french_way_in_the_territorys_time_zone(event):
    import zoneinfo

    event.starts_at = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    event.ends_at = event.starts_at + datetime.timedelta(hours=2, minutes=30)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert services.when_label(event) == "lundi 30 novembre 2026 de 9 h 30 à 12 h"
