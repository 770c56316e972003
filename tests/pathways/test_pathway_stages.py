"""The pathway's stages: opened at entry, moved by the orientation decision, the contract, the
first appointment seen, a return to work; closed with a reason; one open pathway per person."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.pathways import services, services_orientation
from spie.pathways.enums import STAGE_TRANSITIONS, ClosingReason, Stage
from spie.pathways.models import Pathway, PathwayTransition
from tests.diagnostics.helpers import actor

from .helpers import appointment, at, signed

pytestmark = pytest.mark.django_db


def test_the_orientation_decision_opens_the_pathway_and_orients_it(oriented, camille, conseiller):
    pathway = services.open_pathway_of(camille)
    assert pathway.stage == Stage.ORIENTED and pathway.stage_since == datetime.date(2026, 10, 1)
    assert pathway.pathway_type == "professionnel" and pathway.referent == conseiller.memberships.get()
    assert pathway.entered_on == camille.entry_date
    assert [(t.from_stage, t.to_stage) for t in pathway.transitions.all()] == [("", "entree"), ("entree", "oriente")]
    actions = set(AuditEvent.objects.filter(subject_id=camille.public_id).values_list("action", flat=True))
    assert {"pathways.pathway.opened", "pathways.pathway.oriented"} <= actions


def test_opening_twice_keeps_the_open_pathway(camille, conseiller):
    first = services.open_pathway(person=camille, by=actor(conseiller))
    assert services.open_pathway(person=camille, by=actor(conseiller)) == first
    assert first.stage == Stage.ENTRY and first.stage_since == camille.entry_date


def test_the_database_refuses_two_open_pathways(camille, conseiller):
    services.open_pathway(person=camille, by=actor(conseiller))
    with pytest.raises(IntegrityError):
        Pathway.objects.create(
            person=camille, territory=camille.territory, stage_since=camille.entry_date, entered_on=camille.entry_date
        )


def test_every_stage_has_its_transitions_and_closed_is_final():
    assert set(STAGE_TRANSITIONS) == set(Stage)
    assert STAGE_TRANSITIONS[Stage.CLOSED] == set()
    assert all(Stage.CLOSED in targets for stage, targets in STAGE_TRANSITIONS.items() if stage != Stage.CLOSED)


@pytest.mark.usefixtures("pathway_referential")
def test_signature_then_first_seen_appointment_start_the_accompaniment(pathway, conseiller):
    signed(pathway, conseiller, on=datetime.date.today() - datetime.timedelta(days=2))
    pathway.refresh_from_db()
    assert pathway.stage == Stage.CONTRACT_SIGNED
    item = appointment(pathway, conseiller, at(datetime.date.today() - datetime.timedelta(days=1)))
    from spie.pathways.services_appointments import record_appointment_status

    record_appointment_status(appointment=item, status="honore", by=actor(conseiller))
    pathway.refresh_from_db()
    assert pathway.stage == Stage.ACCOMPANIMENT
    assert pathway.transitions.last().reason == "Premier rendez-vous honoré après la signature"


def test_closing_requires_a_known_reason_and_logs_it(pathway, conseiller):
    with pytest.raises(DomainError) as error:
        services.close_pathway(pathway=pathway, closing_reason="vacances", by=actor(conseiller))
    assert error.value.field == "closing_reason"
    with pytest.raises(DomainError) as error:
        services.close_pathway(pathway=pathway, closing_reason=ClosingReason.OTHER, by=actor(conseiller))
    assert error.value.field == "comment"
    services.close_pathway(pathway=pathway, closing_reason=ClosingReason.MOVED_AWAY, by=actor(conseiller))
    pathway.refresh_from_db()
    assert pathway.stage == Stage.CLOSED and pathway.closing_reason == "demenagement"
    last = PathwayTransition.objects.filter(pathway=pathway).last()
    assert last.to_stage == Stage.CLOSED and last.closing_reason == "demenagement"
    assert last.by == conseiller.memberships.get()
    assert all(getattr(pathway, field) is None for field in ("contract_due_on", "seen_due_on", "next_review_due_on"))


def test_a_closed_pathway_moves_no_more(pathway, conseiller):
    services.close_pathway(pathway=pathway, closing_reason=ClosingReason.END_OF_RIGHTS, by=actor(conseiller))
    with pytest.raises(DomainError, match="ne peut pas passer"):
        services.start_accompaniment(pathway=pathway, by=actor(conseiller))


def test_a_new_pathway_after_a_closed_one_starts_today(pathway, camille, conseiller):
    services.close_pathway(pathway=pathway, closing_reason=ClosingReason.LOST_CONTACT, by=actor(conseiller))
    again = services.open_pathway(person=camille, by=actor(conseiller))
    assert again != pathway and again.entered_on == datetime.date.today()


@time_machine.travel(datetime.datetime(2026, 12, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_a_reorientation_brings_the_pathway_back_to_oriented(pathway, camille, conseiller, orientation_officer):
    request = services_orientation.request_reorientation(person=camille, reason="Santé", by=actor(conseiller))
    services_orientation.accept_reorientation(
        request=request,
        pathway_type="social",
        referent=conseiller.memberships.get(),
        notified_on=datetime.date(2026, 12, 10),
        by=actor(orientation_officer),
    )
    pathway.refresh_from_db()
    assert pathway.stage == Stage.ORIENTED and pathway.pathway_type == "social"
    assert pathway.oriented_on == datetime.date(2026, 12, 10)
    assert pathway.contract_due_on == datetime.date(2027, 1, 10)
    assert PathwayTransition.objects.filter(pathway=pathway, from_stage="oriente", to_stage="oriente").exists()
