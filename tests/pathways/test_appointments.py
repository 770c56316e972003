"""Appointments: planning sends an invitation by e-mail with an .ics and by SMS; statuses follow
their table; `send_reminders` sends the reminders 3 days and 1 day before, once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from spie.core.errors import DomainError
from spie.pathways import services_appointments
from spie.pathways.models import AppointmentReminder
from tests.diagnostics.helpers import actor

from .helpers import appointment, at

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_planning_sends_an_invitation_with_an_ics_and_an_sms(
    pathway, conseiller, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = appointment(pathway, conseiller, at(datetime.date(2026, 11, 30), 9), place="12 rue Nationale, Lille")
    assert item.invitation_sent_at is not None
    message = mail.outbox[-1]
    assert message.to == ["camille.martin@exemple.fr"] and "lundi 30 novembre 2026 à 9 h" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "rendez-vous.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "DTSTART:20261130T080000Z" in content and "METHOD:REQUEST" in content
    assert f"UID:{item.public_id}@" in content and "\r\n" in content
    assert sms_outbox and sms_outbox[-1][0] == "+33612345678" and "30 novembre" in sms_outbox[-1][1]


@time_machine.travel(NOW, tick=False)
def test_the_professional_must_be_in_the_team(pathway, colleague):
    with pytest.raises(DomainError) as error:
        services_appointments.plan_appointment(
            pathway=pathway,
            professional=colleague.memberships.get(),
            starts_at=at(datetime.date(2026, 11, 30)),
            by=actor(colleague),
        )
    assert error.value.field == "professional"


@time_machine.travel(NOW, tick=False)
def test_video_needs_a_link_and_dates_are_bounded(pathway, conseiller):
    with pytest.raises(DomainError) as error:
        appointment(pathway, conseiller, at(datetime.date(2026, 11, 30)), channel="visio")
    assert error.value.field == "place"
    with pytest.raises(DomainError) as error:
        appointment(pathway, conseiller, at(datetime.date(2028, 1, 1)))
    assert error.value.field == "starts_at"


@time_machine.travel(NOW, tick=False)
def test_a_future_appointment_can_only_be_cancelled_or_excused(pathway, conseiller, django_capture_on_commit_callbacks):
    item = appointment(pathway, conseiller, at(datetime.date(2026, 11, 30)))
    with pytest.raises(DomainError) as error:
        services_appointments.record_appointment_status(appointment=item, status="honore", by=actor(conseiller))
    assert error.value.field == "status"
    with django_capture_on_commit_callbacks(execute=True):
        services_appointments.record_appointment_status(appointment=item, status="annule", by=actor(conseiller))
    assert "METHOD:CANCEL" in mail.outbox[-1].attachments[0][1]
    with pytest.raises(DomainError):
        services_appointments.record_appointment_status(appointment=item, status="honore", by=actor(conseiller))


@time_machine.travel(NOW, tick=False)
def test_a_status_can_be_corrected_and_the_pathway_follows(pathway, conseiller):
    item = appointment(pathway, conseiller, at(datetime.date(2026, 11, 18)))
    pathway.refresh_from_db()
    assert pathway.oldest_planned_appointment_on == datetime.date(2026, 11, 18)
    services_appointments.record_appointment_status(appointment=item, status="absent", by=actor(conseiller))
    pathway.refresh_from_db()
    assert pathway.oldest_planned_appointment_on is None and pathway.last_seen_appointment_on is None
    services_appointments.record_appointment_status(appointment=item, status="honore", by=actor(conseiller))
    pathway.refresh_from_db()
    assert pathway.last_seen_appointment_on == datetime.date(2026, 11, 18)


def test_reminders_3_days_and_1_day_before_are_sent_once(pathway, conseiller, sms_outbox):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC), tick=False):
        item = appointment(pathway, conseiller, at(datetime.date(2026, 11, 27), 9))
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 6, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders")
        assert mail.outbox == [] and not AppointmentReminder.objects.exists()  # dry run
    with time_machine.travel(datetime.datetime(2026, 11, 24, 6, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders", "--wet-run")
        call_command("send_reminders", "--wet-run")
        assert len(mail.outbox) == 1 and "dans 3 jours" in mail.outbox[0].subject
        assert mail.outbox[0].attachments[0][0] == "rendez-vous.ics"
    with time_machine.travel(datetime.datetime(2026, 11, 26, 6, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders", "--wet-run")
        call_command("send_reminders", "--wet-run")
    assert [m.subject for m in mail.outbox] == [
        "Rappel : votre rendez-vous dans 3 jours",
        "Rappel : votre rendez-vous demain",
    ]
    assert sorted(item.reminders.values_list("days_before", flat=True)) == [1, 3]


def test_no_reminder_for_a_cancelled_appointment(pathway, conseiller):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC), tick=False):
        item = appointment(pathway, conseiller, at(datetime.date(2026, 11, 27), 9))
        services_appointments.record_appointment_status(appointment=item, status="annule", by=actor(conseiller))
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 11, 24, 6, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders", "--wet-run")
    assert mail.outbox == []
    assert not AppointmentReminder.objects.exists()
