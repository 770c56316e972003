"""Who receives a questionnaire, by which channel, the one reminder, and the daily command."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.pathways.dates import add_months
from spie.questionnaires import policies, sending
from spie.questionnaires.models import QuestionnaireInvitation, QuestionnaireLink
from tests.people.factories import PersonFactory
from tests.questionnaires.factories import (
    invitation,
    pathway,
    return_to_work,
    signed_contract,
    validated_diagnostic,
)

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 20)
LINK = re.compile(r"https?://\S+/questionnaires/repondre/([^/\s]+)/")


def _steps(today=TODAY):
    return sorted((due.person_id, due.step) for due in sending.due_invitations(today))


@time_machine.travel(NOW, tick=False)
def test_each_step_reached_recently_is_due_once(camille, nord):
    leo = PersonFactory(territory=nord, first_names="Léo", birth_name="Durand")
    ines = PersonFactory(territory=nord, first_names="Inès", birth_name="Petit")
    validated_diagnostic(camille, TODAY - datetime.timedelta(days=2))
    validated_diagnostic(camille, TODAY - datetime.timedelta(days=1))  # a new version: still one questionnaire
    open_one = pathway(camille)
    signed_contract(open_one, TODAY - datetime.timedelta(days=3))
    pathway(leo, stage="clos", closed_on=TODAY - datetime.timedelta(days=5))
    return_to_work(pathway(ines), add_months(TODAY, -policies.EMPLOYMENT_DELAY_MONTHS) - datetime.timedelta(days=1))
    assert _steps() == sorted(
        [
            (camille.pk, "apres_diagnostic"),
            (camille.pk, "apres_contrat"),
            (leo.pk, "sortie"),
            (ines.pk, "emploi_m6"),
        ]
    )
    diagnostic_due = next(due for due in sending.due_invitations(TODAY) if due.step == "apres_diagnostic")
    assert diagnostic_due.reached_on == TODAY - datetime.timedelta(days=2)
    assert diagnostic_due.pathway_id == open_one.pk


@time_machine.travel(NOW, tick=False)
def test_nobody_is_asked_twice_nor_too_early_nor_about_an_old_step(camille, nord):
    validated_diagnostic(camille, TODAY - datetime.timedelta(days=1))
    invitation(camille, "apres_diagnostic", sent_at=NOW - datetime.timedelta(days=1))
    old = PersonFactory(territory=nord, birth_name="Ancien")
    validated_diagnostic(old, TODAY - datetime.timedelta(days=policies.STEP_LOOKBACK_DAYS + 1))
    recent_job = PersonFactory(territory=nord, birth_name="Recent")
    return_to_work(pathway(recent_job), TODAY - datetime.timedelta(days=60))
    assert _steps() == []


@time_machine.travel(NOW, tick=False)
def test_anonymised_files_and_people_without_contact_are_left_out(nord):
    gone = PersonFactory(territory=nord, birth_name="Parti", anonymised_at=NOW)
    silent = PersonFactory(territory=nord, birth_name="Sans", email="", phone="")
    landline = PersonFactory(territory=nord, birth_name="Fixe", email="", phone="+33320123456")
    for person in (gone, silent, landline):
        validated_diagnostic(person, TODAY)
    dues = sending.due_invitations(TODAY)
    assert [due.person_id for due in dues] == [landline.pk]
    assert sending.create_invitations(dues, NOW) == []  # a landline cannot receive an SMS


@time_machine.travel(NOW, tick=False)
def test_the_command_sends_by_email_or_sms_with_a_hashed_link_and_a_summary(camille, nord, sms_outbox):
    sms_only = PersonFactory(territory=nord, birth_name="Texto", email="", phone="+33712345678")
    validated_diagnostic(camille, TODAY)
    validated_diagnostic(sms_only, TODAY)
    out = []
    call_command("send_questionnaires", stdout=_Collect(out))
    assert "Simulation : 2 questionnaire(s) à envoyer" in out[-1]
    assert not QuestionnaireInvitation.objects.exists()

    call_command("send_questionnaires", "--wet-run", stdout=_Collect(out))
    assert "2 questionnaire(s) envoyé(s), 0 relance(s), 2 message(s) remis, 0 échec(s)" in out[-1]
    by_email = QuestionnaireInvitation.objects.get(person=camille)
    assert by_email.channel == "email" and by_email.step == "apres_diagnostic" and by_email.version == 1
    assert by_email.expires_at == NOW + datetime.timedelta(days=policies.LINK_VALIDITY_DAYS)
    assert mail.outbox[0].to == [camille.email]
    assert "Votre avis sur votre premier bilan" in mail.outbox[0].body
    raw = LINK.search(mail.outbox[0].body).group(1)
    assert QuestionnaireLink.objects.filter(invitation=by_email, token_hash=QuestionnaireLink.hash(raw)).exists()
    assert not QuestionnaireLink.objects.filter(token_hash=raw).exists()  # only the hash is stored
    phone, text = sms_outbox[0]
    assert phone == "+33712345678" and "/questionnaires/repondre/" in text and "jusqu'au 20/12/2026" in text
    assert AuditEvent.objects.filter(action="questionnaires.invitation.sent", subject_id=camille.public_id).exists()

    call_command("send_questionnaires", "--wet-run", stdout=_Collect(out))
    assert "0 questionnaire(s) envoyé(s), 0 relance(s)" in out[-1]
    assert len(mail.outbox) == 1


def test_one_reminder_after_the_delay_with_a_new_link_the_first_one_still_working(camille, client):
    sent = NOW - datetime.timedelta(days=policies.REMINDER_AFTER_DAYS)
    item, first_raw = invitation(camille, sent_at=sent)
    answered, _ = invitation(camille, "apres_contrat", sent_at=sent, answered_at=sent)
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        assert list(sending.due_reminders(timezone.now())) == []
    with time_machine.travel(NOW, tick=False):
        call_command("send_questionnaires", "--wet-run", stdout=_Collect([]))
        call_command("send_questionnaires", "--wet-run", stdout=_Collect([]))
    item.refresh_from_db()
    assert item.reminded_at == NOW
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Rappel")
    second_raw = LINK.search(mail.outbox[0].body).group(1)
    assert second_raw != first_raw
    with time_machine.travel(NOW, tick=False):
        assert client.get(f"/questionnaires/repondre/{first_raw}/").status_code == 200
        assert client.get(f"/questionnaires/repondre/{second_raw}/").status_code == 200
    answered.refresh_from_db()
    assert answered.reminded_at is None


def test_no_reminder_once_the_link_has_expired(camille):
    invitation(camille, sent_at=NOW - datetime.timedelta(days=policies.LINK_VALIDITY_DAYS + 1))
    with time_machine.travel(NOW, tick=False):
        assert sending.create_reminders(timezone.now()) == []


def test_mobile_numbers_are_recognised_overseas_too():
    assert sending.is_mobile("+33612345678") and sending.is_mobile("+262692123456")
    assert not sending.is_mobile("+33320123456") and not sending.is_mobile("")


class _Collect:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass
