"""The demo seeds questionnaires at every step, comments to review and a groupe miroir; every
audit action of the app has a French label."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from spie.core.demo import DemoContext
from spie.questionnaires import demo
from spie.questionnaires.models import MirrorSession, QuestionnaireComment, QuestionnaireInvitation
from spie.questionnaires.results import step_results
from tests.people.factories import PersonFactory, seat

pytestmark = pytest.mark.django_db


def test_demo_seeds_answers_pending_comments_and_a_mirror_group(nord, conseiller, coordinator):
    for index in range(40):
        seat(PersonFactory(territory=nord, birth_name=f"Demo{index}"), conseiller, is_referent=True)
    summary = demo.seed(DemoContext(options={}))
    assert "questionnaires envoyés" in summary
    invitations = QuestionnaireInvitation.objects.filter(territory=nord)
    assert invitations.count() == 40
    assert set(invitations.values_list("step", flat=True)) == {
        "apres_diagnostic",
        "apres_contrat",
        "sortie",
        "emploi_m6",
    }
    assert invitations.filter(answered_at__isnull=False, score__isnull=False).exists()
    assert QuestionnaireComment.objects.filter(status="a_relire").exists()
    assert any(result.answered for result in step_results(territory_id=nord.pk))
    session = MirrorSession.objects.filter(territory=nord, feedback_recorded_at__isnull=False).get()
    assert session.attendance.count() == 5


def test_every_audit_action_recorded_has_a_french_label():
    labels = apps.get_app_config("questionnaires").audit_labels
    source = "\n".join(path.read_text() for path in Path("spie/questionnaires").glob("*.py"))
    actions = set(re.findall(r'"(questionnaires\.[a-z_]+\.[a-z_]+)"', source))
    assert actions and actions <= set(labels)
