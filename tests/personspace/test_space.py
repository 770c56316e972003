"""What the person sees and does in their space: pathway and referent, appointments (confirm, ask
to move: the professional is told), contract (approve), referrals and immersions, access log,
consent (recorded as the person's own act), data download."""

import datetime
import html
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.people.models import ConsentRecord
from spie.personspace import views
from spie.personspace.models import AppointmentAnswer, ContractApproval


def _text(response):
    return html.unescape(response.content.decode())


def test_the_home_page_shows_the_stage_the_referent_and_what_waits(space_as, camille, rdv, conseiller, monkeypatch):
    monkeypatch.setattr(
        views, "person_space_items", lambda person: [(10, "Questionnaire de satisfaction", "/questionnaires/x/", 1)]
    )
    response = space_as(camille).get(reverse("personspace:home"))
    assert response.status_code == 200
    text = _text(response)
    assert "Bonjour Camille Louise" in text
    assert "Orienté" in text
    assert conseiller.get_full_name() in text and conseiller.email in text
    assert "Questionnaire de satisfaction" in text and "1 en attente" in text
    assert timezone.localtime(rdv.starts_at).strftime("%Y") in text


def test_confirming_an_appointment_records_it_and_tells_the_professional(space_as, committed, camille, rdv, conseiller):
    client = space_as(camille)
    with committed():
        response = client.post(reverse("personspace:confirm_appointment", args=[rdv.public_id]))
    assert response.status_code == 302
    answer = AppointmentAnswer.objects.get()
    assert answer.kind == "confirme" and answer.person == camille
    assert mail.outbox[-1].to == [conseiller.email]
    assert "confirme sa présence" in mail.outbox[-1].body
    event = AuditEvent.objects.get(action="personspace.appointment.confirmed")
    assert event.subject_id == camille.public_id and event.actor is None and event.data["by"] == "person"
    page = _text(client.get(reverse("personspace:appointments")))
    assert "Présence confirmée" in page and "Je confirme ma présence" not in page
    response = client.post(reverse("personspace:confirm_appointment", args=[rdv.public_id]), follow=True)
    assert "déjà confirmé" in _text(response)
    assert AppointmentAnswer.objects.count() == 1


def test_asking_to_move_an_appointment_needs_a_message(space_as, committed, camille, rdv, conseiller):
    client = space_as(camille)
    url = reverse("personspace:move_appointment", args=[rdv.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "", "preferred_slots": ""})
    assert response.status_code == 400
    assert "Dites en quelques mots" in _text(response)
    with committed():
        response = client.post(url, {"message": "Je travaille ce jour-là.", "preferred_slots": "mardi matin"})
    assert response.status_code == 302
    answer = AppointmentAnswer.objects.get()
    assert answer.kind == "report_demande" and answer.preferred_slots == "mardi matin"
    assert "Je travaille ce jour-là." in mail.outbox[-1].body and mail.outbox[-1].to == [conseiller.email]
    assert "Report demandé" in _text(client.get(reverse("personspace:appointments")))


def test_the_referent_is_told_too_when_someone_else_holds_the_appointment(
    space_as, committed, camille, pathway, other_structure, conseiller
):
    from tests.pathways.helpers import appointment

    rdv = appointment(pathway, other_structure, timezone.now() + datetime.timedelta(days=2))
    with committed():
        space_as(camille).post(reverse("personspace:confirm_appointment", args=[rdv.public_id]))
    assert sorted(message.to[0] for message in mail.outbox[-2:]) == sorted([other_structure.email, conseiller.email])


def test_a_past_appointment_can_no_longer_be_answered(space_as, camille, rdv):
    with time_machine.travel(rdv.starts_at + datetime.timedelta(hours=1), tick=False):
        response = space_as(camille).post(reverse("personspace:confirm_appointment", args=[rdv.public_id]), follow=True)
    assert "passé" in _text(response)
    assert not AppointmentAnswer.objects.exists()


def test_the_contract_is_read_with_its_referential_labels_and_approved(
    space_as, committed, camille, draft_contract, conseiller
):
    client = space_as(camille)
    text = _text(client.get(reverse("personspace:contract")))
    assert "En préparation" in text
    assert "trouver_un_emploi.o01" not in text and "Objectif :" in text
    assert "16 heures d'activité par semaine" in text
    with committed():
        response = client.post(reverse("personspace:approve_contract", args=[draft_contract.public_id]))
    assert response.status_code == 302
    approval = ContractApproval.objects.get()
    assert approval.contract == draft_contract and approval.approved_at is not None
    assert mail.outbox[-1].to == [conseiller.email]
    assert AuditEvent.objects.filter(action="personspace.contract.approved", subject_id=camille.public_id).exists()
    assert "Vous avez approuvé cette version" in _text(client.get(reverse("personspace:contract")))
    response = client.post(reverse("personspace:approve_contract", args=[draft_contract.public_id]), follow=True)
    assert "déjà approuvé" in _text(response)


def test_without_a_contract_the_page_says_so(space_as, camille):
    assert "pas encore de contrat" in _text(space_as(camille).get(reverse("personspace:contract")))


def test_withdrawing_consent_is_recorded_as_the_person_s_own_act(space_as, camille):
    client = space_as(camille)
    page = _text(client.get(reverse("personspace:consent")))
    assert "Sans votre accord" in page and "Je retire mon accord" in page
    response = client.post(reverse("personspace:consent"), {"given": "non"})
    assert response.status_code == 302
    camille.refresh_from_db()
    assert camille.consent_given is False
    record = ConsentRecord.objects.filter(person=camille).latest("recorded_at")
    assert record.given is False and record.recorded_by is None
    event = AuditEvent.objects.get(action="personspace.consent.withdrawn")
    assert event.subject_id == camille.public_id and event.data == {"by": "person"}
    assert AuditEvent.objects.filter(action="people.consent.withdrawn", subject_id=camille.public_id).exists()
    assert "Je donne mon accord" in _text(client.get(reverse("personspace:consent")))
    client.post(reverse("personspace:consent"), {"given": "oui"})
    camille.refresh_from_db()
    assert camille.consent_given is True


def test_the_file_history_says_the_person_changed_their_consent_themself(space_as, client_as, camille, conseiller):
    space_as(camille).post(reverse("personspace:consent"), {"given": "non"})
    event = AuditEvent.objects.get(action="people.consent.withdrawn", subject_id=camille.public_id)
    assert event.data["by"] == "person"
    history = _text(client_as(conseiller).get(reverse("people:history", args=[camille.public_id])))
    assert "la personne, depuis son espace personnel" in history


def test_a_consent_form_without_a_choice_is_refused(space_as, camille):
    response = space_as(camille).post(reverse("personspace:consent"), {})
    assert response.status_code == 400
    assert "Choisissez de donner ou de retirer" in _text(response)


def test_the_person_downloads_their_data_and_the_download_is_logged(space_as, camille, rdv):
    response = space_as(camille).get(reverse("personspace:download_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["identite"]["prenoms"] == "Camille Louise"
    assert "reponses_aux_rendez_vous" in data and "approbations_du_contrat" in data
    assert AuditEvent.objects.filter(action="personspace.data.downloaded", subject_id=camille.public_id).exists()
    assert camille.access_logs.filter(kind="export").exists()


def test_the_access_log_shows_who_read_the_file_from_which_structure(space_as, client_as, camille, referent):
    client_as(referent).get(reverse("people:detail", args=[camille.public_id]))
    text = _text(space_as(camille).get(reverse("personspace:access_log")))
    assert referent.get_full_name() in text and "France Travail Lille" in text
    assert referent.email not in text


def test_referrals_and_immersions_are_listed_read_only(space_as, camille):
    client = space_as(camille)
    assert "Aucune orientation" in _text(client.get(reverse("personspace:referrals")))
    assert "Aucune immersion" in _text(client.get(reverse("personspace:immersions")))


@pytest.mark.parametrize(
    "name", ["home", "appointments", "contract", "referrals", "immersions", "access_log", "consent", "data"]
)
def test_space_pages_run_a_bounded_number_of_queries(
    space_as, camille, rdv, draft_contract, name, django_assert_max_num_queries
):
    client = space_as(camille)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(f"personspace:{name}")).status_code == 200


def test_the_file_tab_shows_what_the_person_did_never_the_secrets(client_as, space_as, camille, rdv, referent, ask):
    ask(camille.email)
    secret_link = mail.outbox[-1].body
    space_as(camille).post(reverse("personspace:confirm_appointment", args=[rdv.public_id]))
    text = _text(client_as(referent).get(reverse("personspace:file_tab", args=[camille.public_id])))
    assert "Rendez-vous confirmé par la personne" in text
    assert "lien ou code de connexion envoyé" in text
    token = secret_link.split("/connexion/lien/")[1].split("/")[0]
    assert token not in text


def test_the_home_page_lists_what_waits_for_the_person_until_it_is_done(space_as, camille, rdv, draft_contract):
    client = space_as(camille)
    text = _text(client.get(reverse("personspace:home")))
    assert "Rendez-vous à confirmer" in text and "Contrat d'engagement à lire et approuver" in text
    client.post(reverse("personspace:confirm_appointment", args=[rdv.public_id]))
    client.post(reverse("personspace:approve_contract", args=[draft_contract.public_id]))
    text = _text(client.get(reverse("personspace:home")))
    assert "Rendez-vous à confirmer" not in text and "à lire et approuver" not in text


def test_the_file_tab_shows_the_move_request_and_the_contract_approval(
    client_as, space_as, camille, rdv, draft_contract, referent
):
    client = space_as(camille)
    url = reverse("personspace:move_appointment", args=[rdv.public_id])
    client.post(url, {"message": "Je commence une formation.", "preferred_slots": "jeudi après-midi"})
    client.post(reverse("personspace:approve_contract", args=[draft_contract.public_id]))
    text = _text(client_as(referent).get(reverse("personspace:file_tab", args=[camille.public_id])))
    assert "Report demandé" in text and "Je commence une formation." in text and "jeudi après-midi" in text
    assert "version 1 approuvé par la personne" in text
