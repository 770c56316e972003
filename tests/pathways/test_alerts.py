"""Each alert at its boundary with a frozen clock: the day before, none; the day, present (with its
date since and severity); after the event that clears it, gone. Alerts are computed by SQL over the
pathway's due dates; the page's Python reading agrees with the SQL."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from spie.pathways import alerts, services, services_appointments, services_orientation
from spie.pathways.enums import AlertType, Severity
from spie.pathways.models import Pathway
from tests.diagnostics.helpers import actor

from .helpers import appointment, at, signed

pytestmark = pytest.mark.django_db


def _on(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False)


def alert_types(pathway):
    """The alerts of the pathway today, by SQL (counts) and by the page's reading — they agree."""
    today = timezone.localdate()
    counts = alerts.counts(Pathway.objects.filter(pk=pathway.pk), today)
    by_sql = {spec.type for spec in alerts.SPECS if counts[spec.type.value]}
    pathway = Pathway.objects.get(pk=pathway.pk)
    by_python = {alert.type for alert in alerts.alerts_of(pathway, today)}
    assert by_sql == by_python
    return by_sql


def the_alert(pathway, alert_type):
    pathway = Pathway.objects.get(pk=pathway.pk)
    return next(a for a in alerts.alerts_of(pathway, timezone.localdate()) if a.type == alert_type)


def _decide(person, officer, referent, day):
    return services_orientation.decide_orientation(
        person=person,
        pathway_type="professionnel",
        referent=referent.memberships.get(),
        notified_on=day,
        by=actor(officer),
    )


def test_orientation_not_decided_30_days_after_entry(camille, conseiller, orientation_officer):
    with _on(datetime.date(2026, 9, 2)):
        pathway = services.open_pathway(person=camille, by=actor(conseiller))  # entry 01/09/2026
    with _on(datetime.date(2026, 10, 1)):
        assert AlertType.ORIENTATION_OVERDUE not in alert_types(pathway)
    with _on(datetime.date(2026, 10, 2)):
        assert AlertType.ORIENTATION_OVERDUE in alert_types(pathway)
        alert = the_alert(pathway, AlertType.ORIENTATION_OVERDUE)
        assert alert.since == datetime.date(2026, 10, 2) and alert.severity == Severity.HIGH
        _decide(camille, orientation_officer, conseiller, datetime.date(2026, 10, 2))
        assert AlertType.ORIENTATION_OVERDUE not in alert_types(pathway)


@pytest.mark.usefixtures("pathway_referential")
def test_contract_not_signed_one_month_after_the_notified_orientation(pathway, conseiller):
    with _on(datetime.date(2026, 11, 1)):
        assert AlertType.CONTRACT_OVERDUE not in alert_types(pathway)
    with _on(datetime.date(2026, 11, 2)):
        assert AlertType.CONTRACT_OVERDUE in alert_types(pathway)
        assert the_alert(pathway, AlertType.CONTRACT_OVERDUE).since == datetime.date(2026, 11, 2)
        signed(pathway, conseiller)
        assert AlertType.CONTRACT_OVERDUE not in alert_types(pathway)


def test_no_seen_appointment_for_60_days(pathway, conseiller):
    with _on(datetime.date(2026, 11, 20)):
        item = appointment(pathway, conseiller, at(datetime.date(2026, 12, 1), 9))
    with _on(datetime.date(2026, 11, 30)):
        assert AlertType.NO_SEEN_APPOINTMENT not in alert_types(pathway)
    with _on(datetime.date(2026, 12, 1)):
        assert AlertType.NO_SEEN_APPOINTMENT in alert_types(pathway)
        assert the_alert(pathway, AlertType.NO_SEEN_APPOINTMENT).severity == Severity.HIGH
        services_appointments.record_appointment_status(appointment=item, status="honore", by=actor(conseiller))
        assert AlertType.NO_SEEN_APPOINTMENT not in alert_types(pathway)


def test_a_no_show_does_not_count_as_seen(pathway, conseiller):
    with _on(datetime.date(2026, 11, 20)):
        item = appointment(pathway, conseiller, at(datetime.date(2026, 12, 1), 9))
    with _on(datetime.date(2026, 12, 1)):
        services_appointments.record_appointment_status(appointment=item, status="absent", by=actor(conseiller))
        assert AlertType.NO_SEEN_APPOINTMENT in alert_types(pathway)


def test_review_overdue_after_the_period_of_the_pathway_type(pathway, conseiller):
    with _on(datetime.date(2026, 12, 30)):  # professional pathway: 90 days after 01/10/2026
        assert AlertType.REVIEW_OVERDUE not in alert_types(pathway)
    with _on(datetime.date(2026, 12, 31)):
        assert AlertType.REVIEW_OVERDUE in alert_types(pathway)
        assert the_alert(pathway, AlertType.REVIEW_OVERDUE).severity == Severity.MEDIUM
        review = services.record_status_review(
            pathway=pathway, reviewed_on=datetime.date(2026, 12, 31), outcome="sans_changement", by=actor(conseiller)
        )
        assert review.next_due_on == datetime.date(2027, 3, 31)
        assert AlertType.REVIEW_OVERDUE not in alert_types(pathway)


@pytest.mark.usefixtures("pathway_referential")
def test_stage_older_than_its_target(pathway, conseiller):
    with _on(datetime.date(2026, 11, 15)):  # « orienté » target: 45 days after 01/10/2026
        assert AlertType.STAGE_OVERDUE not in alert_types(pathway)
    with _on(datetime.date(2026, 11, 16)):
        assert AlertType.STAGE_OVERDUE in alert_types(pathway)
        signed(pathway, conseiller)
        assert AlertType.STAGE_OVERDUE not in alert_types(pathway)


def test_past_appointment_without_recorded_status(pathway, conseiller):
    with _on(datetime.date(2026, 11, 5)):
        item = appointment(pathway, conseiller, at(datetime.date(2026, 11, 10), 14))
    with _on(datetime.date(2026, 11, 12)):  # grace: 2 days
        assert AlertType.APPOINTMENT_UNRECORDED not in alert_types(pathway)
    with _on(datetime.date(2026, 11, 13)):
        assert AlertType.APPOINTMENT_UNRECORDED in alert_types(pathway)
        assert the_alert(pathway, AlertType.APPOINTMENT_UNRECORDED).severity == Severity.LOW
        services_appointments.record_appointment_status(appointment=item, status="excuse", by=actor(conseiller))
        assert AlertType.APPOINTMENT_UNRECORDED not in alert_types(pathway)


@pytest.mark.usefixtures("rome_jobs")
def test_employment_checkpoint_overdue(pathway, camille, conseiller):
    with _on(datetime.date(2026, 10, 20)):
        follow_up = services.record_return_to_work(
            person=camille,
            employer_name="Boulangerie Martin",
            employer_siret="73282932000074",
            rome_job="K1302",
            contract_type="cdi",
            working_time="temps_plein",
            start_date=datetime.date(2026, 10, 15),
            by=actor(conseiller),
        )
    with _on(datetime.date(2026, 11, 30)):  # M+1 = 15/11/2026, tolerance 15 days
        assert AlertType.CHECKPOINT_OVERDUE not in alert_types(pathway)
    with _on(datetime.date(2026, 12, 1)):
        assert AlertType.CHECKPOINT_OVERDUE in alert_types(pathway)
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=1), contact="joint", still_in_job=True, by=actor(conseiller)
        )
        assert AlertType.CHECKPOINT_OVERDUE not in alert_types(pathway)


def test_urgency_sorts_the_most_severe_then_the_oldest_first(pathway, camille, conseiller, nord):
    from tests.people.factories import PersonFactory, seat

    other = PersonFactory(territory=nord, entry_date=datetime.date(2026, 6, 1))
    seat(other, conseiller, is_referent=True)
    with _on(datetime.date(2026, 11, 20)):
        later = services.open_pathway(person=other, by=actor(conseiller))
        late_appointment = appointment(pathway, conseiller, at(datetime.date(2026, 11, 25), 9))
    with _on(datetime.date(2026, 12, 5)):
        listed = alerts.by_urgency(Pathway.objects.filter(pk__in=[pathway.pk, later.pk]), timezone.localdate())
        ordered = listed[0:2]
        assert listed.count() == 2
        assert [item.pk for item in ordered] == [later.pk, pathway.pk]  # entry 01/06 is the oldest deadline
        assert ordered[0].urgency == Severity.HIGH and ordered[0].urgent_since == datetime.date(2026, 7, 1)
        assert [item.pk for item in listed[1:2]] == [pathway.pk]
    assert late_appointment.pk


def test_an_action_decided_in_a_case_review_raises_its_alert_the_day_after_its_due_date(
    camille, conseiller, orientation_officer, nord, coordinator
):
    with _on(datetime.date(2026, 10, 1)):
        _decide(camille, orientation_officer, conseiller, datetime.date(2026, 10, 1))
        pathway = services.open_pathway_of(camille)
        services.set_case_action_due(pathway=pathway, due_on=datetime.date(2026, 10, 20))
    with _on(datetime.date(2026, 10, 20)):
        assert AlertType.CASE_ACTION_OVERDUE not in alert_types(pathway)
    with _on(datetime.date(2026, 10, 21)):
        assert AlertType.CASE_ACTION_OVERDUE in alert_types(pathway)
        alert = the_alert(pathway, AlertType.CASE_ACTION_OVERDUE)
        assert alert.severity == Severity.MEDIUM and alert.since == datetime.date(2026, 10, 21)
        # The territory's delays saved again: the due date is recomputed from its fact, and kept.
        services.update_territory_settings(
            territory=nord, changes={"review_period_professional_days": 120}, by=actor(coordinator)
        )
        assert AlertType.CASE_ACTION_OVERDUE in alert_types(pathway)
        services.set_case_action_due(pathway=pathway, due_on=None)
        assert AlertType.CASE_ACTION_OVERDUE not in alert_types(pathway)


def test_case_review_delays_are_territory_settings_with_national_defaults(nord):
    from spie.territories.models import TerritorySettings
    from spie.territories.policies import policy_for

    policy = policy_for(nord)
    assert (policy.case_review_agenda_days, policy.case_review_access_days) == (7, 30)
    TerritorySettings.objects.create(territory=nord, case_review_access_days=15)
    assert policy_for(nord).case_review_access_days == 15
