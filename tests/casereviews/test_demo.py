"""The demo builds bodies, sessions with decided cases and actions, and an overdue action alert."""

import random

import pytest
from django.utils import timezone

from spie.casereviews import demo
from spie.casereviews.enums import ActionStatus, BodyKind, CaseStatus, SessionStatus
from spie.casereviews.models import BodyMember, CaseAction, ReviewBody, ReviewCase, ReviewSession
from spie.core.demo import DemoContext
from spie.diagnostics.demo import seed_people
from spie.pathways import alerts
from spie.pathways.demo import seed_decisions, seed_pathways
from spie.pathways.enums import AlertType
from spie.pathways.models import Pathway
from spie.people.demo import seed_territory
from spie.people.models import Person


@pytest.mark.usefixtures("pathway_referential", "rome_jobs", "orientation_officer", "other_structure")
def test_seed_builds_bodies_sessions_decided_cases_and_actions(nord, conseiller, gestionnaire, coordinator):
    rng = random.Random(7)
    seed_territory(nord, 60, rng)
    seed_people(list(Person.objects.filter(territory=nord)), rng)
    seed_decisions([nord.pk], rng)
    seed_pathways([nord.pk], rng)
    message = demo.seed(DemoContext(options={}))
    assert message == "2 instances, 3 séances avec leurs situations, 8 actions de suivi"
    assert set(ReviewBody.objects.values_list("kind", flat=True)) == set(BodyKind.values)
    assert BodyMember.objects.filter(is_external=True, sees_names=False).count() == 1
    assert ReviewSession.objects.filter(status=SessionStatus.CLOSED).count() == 2
    assert ReviewCase.objects.filter(status=CaseStatus.DISCUSSED, days_to_session__isnull=False).count() == 4
    assert CaseAction.objects.filter(status=ActionStatus.DONE, done_in_time__isnull=False).exists()
    today = timezone.localdate()
    counts = alerts.counts(Pathway.objects.filter(territory=nord).exclude(stage="clos"), today)
    assert counts[AlertType.CASE_ACTION_OVERDUE.value] >= 1
    assert demo.seed(DemoContext(options={})) == "0 instances, 0 séances avec leurs situations, 0 actions de suivi"
