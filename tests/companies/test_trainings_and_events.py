"""Trainings with positionings (positionné → inscrit → entré → terminé / abandon) and events."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from spie.companies import services_trainings as services
from spie.companies.enums import PositioningStatus
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from tests.companies.conftest import actor
from tests.companies.factories import TrainingFactory
from tests.people.factories import PersonFactory, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(nord, jobs, lille):
    return TrainingFactory(territory=nord, commune=lille, rome_jobs=[jobs["G1602"]], places=2)


def test_a_positioning_goes_through_every_step(training, camille, conseiller):
    positioning = services.position_person(training=training, person=camille, by=actor(conseiller))
    assert positioning.status == PositioningStatus.POSITIONED
    services.move_positioning(positioning=positioning, status=PositioningStatus.ENROLLED, by=actor(conseiller))
    with pytest.raises(DomainError, match="ne peut pas être enregistrée avant"):
        services.move_positioning(positioning=positioning, status=PositioningStatus.ENTERED, by=actor(conseiller))
    with time_machine.travel(training.starts_on + datetime.timedelta(days=1)):
        services.move_positioning(positioning=positioning, status=PositioningStatus.ENTERED, by=actor(conseiller))
        done = services.move_positioning(
            positioning=positioning, status=PositioningStatus.COMPLETED, by=actor(conseiller)
        )
    assert done.status == PositioningStatus.COMPLETED
    with pytest.raises(DomainError, match="ne peut pas passer à « abandon"):
        services.move_positioning(
            positioning=done, status=PositioningStatus.DROPPED_OUT, note="x", by=actor(conseiller)
        )
    actions = set(AuditEvent.objects.filter(subject_id=camille.public_id).values_list("action", flat=True))
    assert {
        "companies.positioning.created",
        "companies.positioning.enrolled",
        "companies.positioning.entered",
        "companies.positioning.completed",
    } <= actions


def test_dropping_out_needs_a_reason(training, camille, conseiller):
    positioning = services.position_person(training=training, person=camille, by=actor(conseiller))
    with pytest.raises(DomainError, match="raison de l'abandon") as refused:
        services.move_positioning(positioning=positioning, status=PositioningStatus.DROPPED_OUT, by=actor(conseiller))
    assert refused.value.field == "note"
    services.move_positioning(
        positioning=positioning, status=PositioningStatus.DROPPED_OUT, note="Déménagement", by=actor(conseiller)
    )


def test_places_team_and_duplicates_are_checked(training, camille, conseiller, colleague, nord):
    with pytest.raises(DomainError, match="équipe de suivi"):
        services.position_person(training=training, person=camille, by=actor(colleague))
    services.position_person(training=training, person=camille, by=actor(conseiller))
    with pytest.raises(DomainError, match="déjà positionnée"):
        services.position_person(training=training, person=camille, by=actor(conseiller))
    second = PersonFactory(territory=nord, birth_name="Deux")
    third = PersonFactory(territory=nord, birth_name="Trois")
    for person in (second, third):
        seat(person, conseiller, is_referent=True)
    services.position_person(training=training, person=second, by=actor(conseiller))
    with pytest.raises(DomainError, match="places de cette session sont prises"):
        services.position_person(training=training, person=third, by=actor(conseiller))


def test_a_training_needs_consistent_dates_and_a_rome_job(conseiller, jobs, lille):
    data = {
        "organisation_name": "GRETA",
        "title": "CAP cuisine",
        "starts_on": datetime.date(2027, 3, 1),
        "ends_on": datetime.date(2027, 2, 1),
        "places": 10,
        "commune": lille,
        "funding": "region",
        "description": "",
    }
    with pytest.raises(DomainError, match="Dates incohérentes") as refused:
        services.save_training(data=data, rome_jobs=[jobs["G1602"]], by=actor(conseiller))
    assert refused.value.field == "ends_on"
    with pytest.raises(DomainError, match="au moins un métier"):
        services.save_training(data={**data, "ends_on": datetime.date(2027, 6, 1)}, rome_jobs=[], by=actor(conseiller))
    training = services.save_training(
        data={**data, "ends_on": datetime.date(2027, 6, 1)}, rome_jobs=[jobs["G1602"]], by=actor(conseiller)
    )
    assert training.territory.code == "59"


def test_an_event_invites_people_then_records_presence_and_outcomes(nord, ehpad, camille, conseiller, lille):
    data = {
        "kind": "job_dating",
        "title": "Job dating du soin",
        "starts_at": timezone.now() + datetime.timedelta(days=5),
        "commune": lille,
        "place": "Maison de l'emploi",
        "description": "",
    }
    event = services.save_event(data=data, companies=[ehpad], by=actor(conseiller))
    participant = services.invite_person(event=event, person=camille, by=actor(conseiller))
    with pytest.raises(DomainError, match="déjà invitée"):
        services.invite_person(event=event, person=camille, by=actor(conseiller))
    with pytest.raises(DomainError, match="après l'événement"):
        services.record_event_outcomes(event=event, outcomes="Bien", hires_count=1, by=actor(conseiller))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        services.record_participation(
            participant=participant, present=True, outcome="Entretien prévu", by=actor(conseiller)
        )
        services.record_event_outcomes(
            event=event, outcomes="12 entretiens, 3 embauches.", hires_count=3, by=actor(conseiller)
        )
        with pytest.raises(DomainError, match="déjà eu lieu"):
            services.invite_person(event=event, person=camille, by=actor(conseiller))
    event.refresh_from_db()
    assert event.hires_count == 3 and list(event.companies.all()) == [ehpad]
    assert AuditEvent.objects.filter(subject_id=camille.public_id, action="companies.event.attended").exists()
