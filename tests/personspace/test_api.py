"""/api/v1/me: a code exchanged for a short-lived token (stored hashed), then the person's own data
only, with the same services as the pages."""

import datetime
import re

import time_machine
from django.core import mail
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.personspace import policies
from spie.personspace.models import ApiSession, AppointmentAnswer


def _post(client, path, body, headers=None):
    return client.post("/api/v1/me" + path, body, content_type="application/json", headers=headers or {})


def _log_in(client, committed, identifier):
    with committed():
        assert _post(client, "/login/request", {"identifiant": identifier}).status_code == 202
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = _post(client, "/login/verify", {"identifiant": identifier, "code": code})
    assert response.status_code == 200
    return response.json()


def test_a_code_by_email_is_exchanged_for_a_token_stored_hashed(client, committed, camille, rdv):
    body = _log_in(client, committed, camille.email)
    token = body["jeton"]
    session = ApiSession.objects.get()
    assert session.person == camille and token not in session.token_hash
    assert session.expires_at - timezone.now() <= datetime.timedelta(hours=policies.API_TOKEN_VALIDITY_HOURS)
    headers = {"Authorization": f"Bearer {token}"}
    appointments = client.get("/api/v1/me/appointments", headers=headers).json()
    assert [a["id"] for a in appointments] == [str(rdv.public_id)]
    assert AuditEvent.objects.filter(action="personspace.api.session_opened", subject_id=camille.public_id).exists()


def test_a_code_by_sms_for_the_application(client, committed, camille, sms_outbox):
    with committed():
        _post(client, "/login/request", {"identifiant": "06 12 34 56 78"})
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    response = _post(client, "/login/verify", {"identifiant": "+33612345678", "code": code})
    assert response.status_code == 200
    assert _post(client, "/login/verify", {"identifiant": "+33612345678", "code": code}).status_code == 400


def test_the_answer_is_the_same_for_an_unknown_identifier(client, committed, camille):
    with committed():
        known = _post(client, "/login/request", {"identifiant": camille.email}).json()
        unknown = _post(client, "/login/request", {"identifiant": "inconnu@exemple.fr"}).json()
    assert known == unknown
    assert len(mail.outbox) == 1


def test_a_wrong_code_gets_a_french_message_and_requests_are_throttled(client, committed, camille):
    with committed():
        _post(client, "/login/request", {"identifiant": camille.email})
    response = _post(client, "/login/verify", {"identifiant": camille.email, "code": "abc"})
    assert response.status_code == 400 and response.json()["champ"] == "code"
    for _ in range(policies.REQUESTS_PER_IDENTIFIER - 1):
        _post(client, "/login/request", {"identifiant": camille.email})
    response = _post(client, "/login/request", {"identifiant": camille.email})
    assert response.status_code == 429 and "Trop de demandes" in response.json()["message"]


def test_a_web_code_does_not_open_the_api_and_the_reverse(client, committed, camille, sms_outbox):
    with committed():
        client.post("/mon-espace/connexion/", {"identifiant": camille.phone})
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    assert _post(client, "/login/verify", {"identifiant": camille.phone, "code": code}).status_code == 400


def test_the_token_expires_and_logout_revokes_it(client, committed, camille):
    headers = {"Authorization": f"Bearer {_log_in(client, committed, camille.email)['jeton']}"}
    assert client.get("/api/v1/me/consent", headers=headers).status_code == 200
    later = timezone.now() + datetime.timedelta(hours=policies.API_TOKEN_VALIDITY_HOURS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.get("/api/v1/me/consent", headers=headers).status_code == 401
    assert _post(client, "/logout", {}, headers).status_code == 204
    assert client.get("/api/v1/me/consent", headers=headers).status_code == 401


def test_the_api_reads_and_writes_the_person_s_own_data_only(
    client, committed, camille, rdv, dominique, draft_contract
):
    headers = {"Authorization": f"Bearer {_log_in(client, committed, dominique.email)['jeton']}"}
    appointments = client.get("/api/v1/me/appointments", headers=headers).json()
    assert str(rdv.public_id) not in [a["id"] for a in appointments] and len(appointments) == 1
    own = appointments[0]["id"]
    with committed():
        response = _post(client, f"/appointments/{own}/move", {"message": "Je serai en formation."}, headers)
    assert response.status_code == 200 and response.json()["ma_reponse"] == "Report demandé"
    assert AppointmentAnswer.objects.get().person == dominique
    assert _post(client, f"/contract/{draft_contract.public_id}/approve", {}, headers).status_code == 404
    response = _post(client, "/consent", {"consentement_partage": False}, headers)
    assert response.json()["consentement_partage"] is False
    camille.refresh_from_db()
    assert camille.consent_given is True


def test_the_contract_comes_with_referential_labels(client, committed, camille, draft_contract):
    headers = {"Authorization": f"Bearer {_log_in(client, committed, camille.email)['jeton']}"}
    body = client.get("/api/v1/me/contract", headers=headers).json()
    assert body["heures_par_semaine"] == 16.0
    assert body["objectifs"][0]["libelle"] != "trouver_un_emploi.o01"
    assert [a["heures_par_semaine"] for a in body["objectifs"][0]["actions"]] == [10.0, 6.0]
    body = _post(client, f"/contract/{draft_contract.public_id}/approve", {}, headers).json()
    assert body["approuve_le"] is not None


def test_api_lists_run_a_bounded_number_of_queries(client, committed, camille, rdv, django_assert_max_num_queries):
    headers = {"Authorization": f"Bearer {_log_in(client, committed, camille.email)['jeton']}"}
    for path in ["/pathway", "/appointments", "/referrals", "/immersions", "/access-log", "/consent"]:
        with django_assert_max_num_queries(10):
            assert client.get("/api/v1/me" + path, headers=headers).status_code == 200
