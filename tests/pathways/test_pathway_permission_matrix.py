"""Every pathway view × every relation to the person, with the exact status expected.
`conseiller` is Camille's referent, `other_structure` a team member (Département du Nord)."""

import datetime

import pytest
from django.urls import reverse

from spie.pathways import services
from tests.diagnostics.helpers import actor
from tests.diagnostics.test_permission_matrix import PERSONAS, row
from tests.matrix import url_names

from .helpers import appointment, at, plan

READ = row(200, {"referent", "team_member", "orientation_officer"})
TEAM = row(200, {"referent", "team_member"})
REFERENT = row(200, {"referent"})


def _cases(table):
    return [(view, persona, status) for view, statuses in table.items() for persona, status in statuses.items()]


PERSON_VIEWS = {
    "pathways:pathway": READ,
    "pathways:contract": READ,
    "pathways:appointments": READ,
    "pathways:close": REFERENT,
    "pathways:review": REFERENT,
    "pathways:return_to_work": TEAM,
}


@pytest.mark.parametrize(("view", "persona", "status"), _cases(PERSON_VIEWS), indirect=["persona"])
def test_person_views(view, persona, status, client_as, pathway, camille):
    assert client_as(persona).get(reverse(view, args=[camille.public_id])).status_code == status


@pytest.fixture
def contract(pathway_referential, pathway, conseiller):
    return plan(pathway, conseiller)


CONTRACT_VIEWS = {"pathways:print_contract": READ, "pathways:contract_pdf": READ}


@pytest.mark.parametrize(("view", "persona", "status"), _cases(CONTRACT_VIEWS), indirect=["persona"])
def test_contract_documents(view, persona, status, client_as, contract, camille):
    assert client_as(persona).get(reverse(view, args=[camille.public_id, contract.public_id])).status_code == status


# Routes exercised by the tests below, one test per route (or per group of writes).
CONTRACT_WRITES = ("start_contract", "add_objective", "add_action", "exemption", "sign")
ROUTES = (
    *CONTRACT_WRITES,
    "action_status",
    "appointment_status",
    "checkpoint",
    "open_pathway",
    "situation",
    "settings",
    "plan_next",
)


def _post_cases(allowed):
    return [(persona, status) for persona, status in row(302, allowed).items()]


@pytest.mark.parametrize(("persona", "status"), _post_cases({"referent"}), indirect=["persona"])
def test_contract_writes_are_for_the_referent(persona, status, client_as, contract, camille):
    client = client_as(persona)
    statuses = [
        client.post(reverse("pathways:start_contract", args=[camille.public_id])).status_code,
        client.post(
            reverse("pathways:add_objective", args=[camille.public_id, contract.public_id]),
            {"objective_code": "sante.o01"},
        ).status_code,
    ]
    added = contract.objectives.filter(objective_code="sante.o01").first() or contract.objectives.first()
    statuses += [
        client.post(
            reverse("pathways:add_action", args=[camille.public_id, contract.public_id, added.public_id]),
            {"action_code": "sante.a01", "weekly_hours": "2"},
        ).status_code,
        client.post(
            reverse("pathways:exemption", args=[camille.public_id, contract.public_id]),
            {"exemption_reason": "", "exemption_detail": ""},
        ).status_code,
        client.post(
            reverse("pathways:sign", args=[camille.public_id, contract.public_id]),
            {"person_signed_on": "2026-11-20", "referent_signed_on": "2026-11-20"},
        ).status_code,
    ]
    assert statuses == [status] * 5


@pytest.mark.parametrize(("persona", "status"), _post_cases({"referent", "team_member"}), indirect=["persona"])
def test_following_an_action_is_for_the_team(persona, status, client_as, contract, camille, conseiller):
    from spie.pathways import services_contracts

    signed = services_contracts.sign_contract(
        contract=contract,
        person_signed_on=datetime.date(2026, 11, 20),
        referent_signed_on=datetime.date(2026, 11, 20),
        by=actor(conseiller),
    )
    action = signed.actions.first()
    url = reverse("pathways:action_status", args=[camille.public_id, action.public_id])
    assert client_as(persona).post(url, {"status": "en_cours"}).status_code == status


@pytest.mark.parametrize(("persona", "status"), row(200, {"referent", "team_member"}).items(), indirect=["persona"])
def test_appointment_status_form(persona, status, client_as, pathway, camille, conseiller):
    item = appointment(pathway, conseiller, at(datetime.date.today() - datetime.timedelta(days=1)))
    url = reverse("pathways:appointment_status", args=[camille.public_id, item.public_id])
    assert client_as(persona).get(url).status_code == status


@pytest.mark.parametrize(("persona", "status"), row(200, {"referent", "team_member"}).items(), indirect=["persona"])
def test_checkpoint_form(persona, status, client_as, rome_jobs, pathway, camille, conseiller):
    follow_up = services.record_return_to_work(
        person=camille,
        employer_name="Boulangerie",
        employer_siret="73282932000074",
        rome_job="K1302",
        contract_type="cdi",
        working_time="temps_plein",
        start_date=datetime.date(2026, 10, 15),
        by=actor(conseiller),
    )
    url = reverse("pathways:checkpoint", args=[camille.public_id, follow_up.checkpoints.first().public_id])
    assert client_as(persona).get(url).status_code == status


@pytest.mark.parametrize(("persona", "status"), _post_cases({"referent", "team_member"}), indirect=["persona"])
def test_opening_a_pathway_is_for_the_team(persona, status, client_as, camille):
    assert client_as(persona).post(reverse("pathways:open_pathway", args=[camille.public_id])).status_code == status


SITUATION = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302, "admin_national": 403}
SETTINGS = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "coordinator": 200}
PLAN_NEXT = {
    "anonymous": 302,
    "referent": 200,
    "team_member": 200,
    "gestionnaire": 200,
    "coordinator": 403,
    "former_member": 404,
    "colleague": 404,
    "other_territory": 404,
    "orientation_officer": 404,
    "admin_national": 403,
}


@pytest.mark.parametrize(("persona", "status"), SITUATION.items(), indirect=["persona"])
def test_point_de_situation(persona, status, client_as, pathway):
    assert client_as(persona).get(reverse("pathways:situation")).status_code == status


@pytest.mark.parametrize(("persona", "status"), SETTINGS.items(), indirect=["persona"])
def test_territory_settings(persona, status, client_as, camille):
    assert client_as(persona).get(reverse("pathways:settings")).status_code == status


@pytest.mark.parametrize(("persona", "status"), PLAN_NEXT.items(), indirect=["persona"])
def test_plan_next_from_a_row(persona, status, client_as, pathway):
    assert client_as(persona).get(reverse("pathways:plan_next", args=[pathway.public_id])).status_code == status


COVERED_URL_NAMES = url_names("pathways", PERSON_VIEWS, CONTRACT_VIEWS, ROUTES)
