"""The contrat d'engagement: the plan references the referential, totals at least 15 hours a week
unless an exemption is recorded with its reason, is due one month after the notified orientation
(restarted by a reorientation), is signed by both, and its signed versions never change."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.pathways import services_contracts, services_orientation
from spie.pathways.dates import add_months
from spie.pathways.enums import ContractStatus, PlanItemStatus, Stage
from spie.pathways.models import EngagementContract
from tests.diagnostics.helpers import actor

from .helpers import plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pathway_referential")]
TODAY = datetime.date.today()


def _sign(contract, user, on=TODAY):
    return services_contracts.sign_contract(
        contract=contract, person_signed_on=on, referent_signed_on=on, by=actor(user)
    )


def test_the_plan_keeps_codes_of_the_referential_version(pathway, conseiller, pathway_referential):
    contract = plan(pathway, conseiller)
    objective = contract.objectives.get()
    assert objective.objective_code == "trouver_un_emploi.o01" and objective.referential_version == pathway_referential
    assert sorted(contract.actions.values_list("action_code", flat=True)) == ["emploi.a01", "emploi.a02"]
    assert services_contracts.plan_hours(contract) == Decimal("16")


def test_an_unknown_objective_or_action_is_refused_naming_the_field(pathway, conseiller):
    contract = services_contracts.start_contract(pathway=pathway, by=actor(conseiller))
    with pytest.raises(DomainError) as error:
        services_contracts.add_objective(contract=contract, objective_code="inconnu.o99", by=actor(conseiller))
    assert error.value.field == "objective_code" and "Objectif" in error.value.message
    objective = services_contracts.add_objective(
        contract=contract, objective_code="trouver_un_emploi.o01", by=actor(conseiller)
    )
    with pytest.raises(DomainError) as error:
        services_contracts.add_action(objective=objective, action_code="x.a99", weekly_hours=3, by=actor(conseiller))
    assert error.value.field == "action_code"
    with pytest.raises(DomainError) as error:
        services_contracts.add_action(
            objective=objective, action_code="emploi.a01", weekly_hours=90, by=actor(conseiller)
        )
    assert error.value.field == "weekly_hours"


def test_under_15_hours_the_signature_is_refused(pathway, conseiller):
    contract = plan(
        pathway, conseiller, objectives=(("trouver_un_emploi.o01", ("emploi.a01", 10), ("emploi.a02", 4.5)),)
    )
    with pytest.raises(DomainError) as error:
        _sign(contract, conseiller)
    assert error.value.field == "weekly_hours" and "14,5 h" in error.value.message


def test_15_hours_exactly_is_enough(pathway, conseiller):
    contract = plan(pathway, conseiller, objectives=(("trouver_un_emploi.o01", ("emploi.a01", 10), ("emploi.a02", 5)),))
    assert _sign(contract, conseiller).status == ContractStatus.SIGNED


def test_an_exemption_with_its_reason_allows_fewer_hours(pathway, conseiller):
    contract = plan(pathway, conseiller, objectives=(("trouver_un_emploi.o01", ("emploi.a01", 6)),))
    with pytest.raises(DomainError) as error:
        services_contracts.set_exemption(contract=contract, reason="sante", detail=" ", by=actor(conseiller))
    assert error.value.field == "exemption_detail"
    services_contracts.set_exemption(
        contract=contract, reason="garde_enfant", detail="Enfant de 2 ans sans place en crèche", by=actor(conseiller)
    )
    signed = _sign(contract, conseiller)
    assert signed.weekly_hours == Decimal("6") and signed.exemption_reason == "garde_enfant"
    event = AuditEvent.objects.get(action="pathways.contract.signed")
    assert event.data["exemption"] == "garde_enfant" and "crèche" not in str(event.data)


def test_an_empty_plan_or_an_objective_without_action_cannot_be_signed(pathway, conseiller):
    contract = services_contracts.start_contract(pathway=pathway, by=actor(conseiller))
    with pytest.raises(DomainError, match="au moins un objectif"):
        _sign(contract, conseiller)
    services_contracts.add_objective(contract=contract, objective_code="trouver_un_emploi.o01", by=actor(conseiller))
    with pytest.raises(DomainError, match="au moins une action"):
        _sign(contract, conseiller)


def test_signature_dates_are_checked(pathway, conseiller):
    contract = plan(pathway, conseiller)
    with pytest.raises(DomainError) as error:
        services_contracts.sign_contract(
            contract=contract,
            person_signed_on=TODAY + datetime.timedelta(days=1),
            referent_signed_on=TODAY,
            by=actor(conseiller),
        )
    assert error.value.field == "person_signed_on"
    with pytest.raises(DomainError) as error:
        services_contracts.sign_contract(
            contract=contract,
            person_signed_on=TODAY,
            referent_signed_on=datetime.date(2026, 9, 15),
            by=actor(conseiller),
        )
    assert error.value.field == "referent_signed_on" and "orientation" in error.value.message


def test_the_due_date_is_one_month_after_the_notified_orientation(pathway):
    assert pathway.contract_due_on == datetime.date(2026, 11, 1)
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)


def test_the_territory_setting_changes_the_due_date(pathway, nord, coordinator):
    from spie.pathways import services

    services.update_territory_settings(territory=nord, changes={"contract_due_months": 2}, by=actor(coordinator))
    pathway.refresh_from_db()
    assert pathway.contract_due_on == datetime.date(2026, 12, 1)


@time_machine.travel(datetime.datetime(2026, 12, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_a_reorientation_restarts_the_month(pathway, camille, conseiller, orientation_officer):
    contract = plan(pathway, conseiller)
    request = services_orientation.request_reorientation(person=camille, reason="Logement", by=actor(conseiller))
    services_orientation.accept_reorientation(
        request=request,
        pathway_type="socio_professionnel",
        referent=conseiller.memberships.get(),
        notified_on=datetime.date(2026, 12, 18),
        by=actor(orientation_officer),
    )
    pathway.refresh_from_db()
    assert pathway.contract_due_on == datetime.date(2027, 1, 18)
    _sign(contract, conseiller, on=datetime.date(2026, 12, 19))
    pathway.refresh_from_db()
    assert pathway.stage == Stage.CONTRACT_SIGNED and pathway.contract_due_on is None


def test_a_signed_version_never_changes_and_a_revision_replaces_it(pathway, conseiller):
    first = _sign(plan(pathway, conseiller), conseiller)
    with pytest.raises(DomainError, match="révision"):
        services_contracts.add_objective(contract=first, objective_code="sante.o01", by=actor(conseiller))
    revision = services_contracts.start_contract(pathway=pathway, by=actor(conseiller))
    assert revision.version == 2 and revision.previous == first
    assert sorted(revision.actions.values_list("action_code", flat=True)) == ["emploi.a01", "emploi.a02"]
    first.refresh_from_db()
    assert first.status == ContractStatus.SIGNED  # still in force until the revision is signed
    objective = services_contracts.add_objective(contract=revision, objective_code="sante.o01", by=actor(conseiller))
    services_contracts.add_action(objective=objective, action_code="sante.a01", weekly_hours=2, by=actor(conseiller))
    _sign(revision, conseiller)
    first.refresh_from_db()
    assert first.status == ContractStatus.REPLACED and first.objectives.count() == 1
    assert EngagementContract.objects.filter(pathway=pathway, status=ContractStatus.SIGNED).get() == revision
    pathway.refresh_from_db()
    assert pathway.stage == Stage.CONTRACT_SIGNED


def test_action_statuses_follow_their_table(pathway, conseiller, other_structure):
    contract = _sign(plan(pathway, conseiller), conseiller)
    action = contract.actions.order_by("position").first()
    services_contracts.change_action_status(action=action, status=PlanItemStatus.IN_PROGRESS, by=actor(other_structure))
    services_contracts.change_action_status(action=action, status=PlanItemStatus.DONE, by=actor(other_structure))
    with pytest.raises(DomainError) as error:
        services_contracts.change_action_status(action=action, status=PlanItemStatus.PLANNED, by=actor(conseiller))
    assert error.value.field == "status"


def _back_at_work(pathway, user, start=datetime.date(2026, 10, 12)):
    """A CDI started on `start`, recorded before the contract is signed: the pathway goes on, at
    « en emploi (suivi) »."""
    from spie.pathways import services

    services.record_return_to_work(
        person=pathway.person,
        employer_name="Boulangerie Martin",
        employer_siret="73282932000074",
        rome_job="K1302",
        contract_type="cdi",
        working_time="temps_plein",
        start_date=start,
        by=actor(user),
    )
    pathway.refresh_from_db()
    assert pathway.stage == Stage.EMPLOYMENT
    return pathway


OCT_20 = datetime.datetime(2026, 10, 20, 10, tzinfo=datetime.UTC)


@pytest.mark.usefixtures("rome_jobs")
@time_machine.travel(OCT_20, tick=False)
def test_a_person_back_at_work_may_still_sign_while_the_pathway_goes_on(pathway, conseiller):
    contract = plan(pathway, conseiller)
    pathway = _back_at_work(pathway, conseiller)
    signed = _sign(contract, conseiller, on=datetime.date(2026, 10, 20))  # after the job started
    assert signed.status == ContractStatus.SIGNED
    pathway.refresh_from_db()
    assert pathway.stage == Stage.EMPLOYMENT and pathway.contract_signed_on == datetime.date(2026, 10, 20)


@pytest.mark.usefixtures("rome_jobs")
@time_machine.travel(OCT_20, tick=False)
def test_a_contract_signed_before_the_job_started_is_valid_when_recorded_afterwards(pathway, conseiller):
    contract = plan(pathway, conseiller)
    _back_at_work(pathway, conseiller)
    assert _sign(contract, conseiller, on=datetime.date(2026, 10, 11)).status == ContractStatus.SIGNED


@pytest.mark.usefixtures("rome_jobs")
@time_machine.travel(OCT_20, tick=False)
def test_a_contract_can_be_prepared_after_the_return_to_work(pathway, conseiller):
    _back_at_work(pathway, conseiller)
    assert _sign(plan(pathway, conseiller), conseiller, on=datetime.date(2026, 10, 20)).version == 1


@time_machine.travel(OCT_20, tick=False)
def test_on_a_closed_pathway_the_signature_is_refused_with_a_clear_message(pathway, conseiller):
    from spie.pathways import services
    from spie.pathways.enums import ClosingReason

    contract = plan(pathway, conseiller)
    services.close_pathway(pathway=pathway, closing_reason=ClosingReason.MOVED_AWAY, by=actor(conseiller))
    with pytest.raises(DomainError) as error:
        _sign(contract, conseiller, on=datetime.date(2026, 10, 20))
    assert error.value.message == (
        "Le parcours a été clos le 20/10/2026 : le contrat d'engagement ne peut plus être préparé ni signé."
    )
    assert EngagementContract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT
    pathway.refresh_from_db()
    with pytest.raises(DomainError, match="a été clos le 20/10/2026"):
        services_contracts.start_contract(pathway=pathway, by=actor(conseiller))


@pytest.mark.usefixtures("rome_jobs")
@time_machine.travel(OCT_20, tick=False)
def test_the_contract_page_signs_after_a_return_to_work_and_explains_a_closed_pathway(
    pathway, conseiller, camille, client_as
):
    from django.urls import reverse

    from spie.pathways import services
    from spie.pathways.enums import ClosingReason

    client = client_as(conseiller)
    contract = plan(pathway, conseiller)
    _back_at_work(pathway, conseiller)
    page = client.get(reverse("pathways:contract", args=[camille.public_id])).content.decode()
    assert "Le parcours a été clos" not in page and "Enregistrer la signature</button>" in page
    sign_url = reverse("pathways:sign", args=[camille.public_id, contract.public_id])
    data = {"person_signed_on": "2026-10-20", "referent_signed_on": "2026-10-20"}
    assert client.post(sign_url, data).status_code == 302
    assert EngagementContract.objects.get(pk=contract.pk).status == ContractStatus.SIGNED

    revision = services_contracts.start_contract(pathway=pathway, by=actor(conseiller))
    services.close_pathway(pathway=pathway, closing_reason=ClosingReason.MOVED_AWAY, by=actor(conseiller))
    page = client.get(reverse("pathways:contract", args=[camille.public_id])).content.decode()
    assert "Le parcours a été clos le 20/10/2026" in page and "disabled>Enregistrer la signature" in page
    sign_url = reverse("pathways:sign", args=[camille.public_id, revision.public_id])
    response = client.post(sign_url, data)
    assert response.status_code == 400 and "Le parcours a été clos le 20/10/2026" in response.content.decode()


@time_machine.travel(OCT_20, tick=False)
def test_the_action_status_select_of_a_signed_contract_defaults_to_no_change(pathway, conseiller, camille, client_as):
    """One click never abandons an action: the select opens on an empty choice, the next statuses
    follow the table's order, and submitting it unchanged changes nothing."""
    import re

    from django.urls import reverse

    from spie.pathways.models import PlanAction

    contract = _sign(plan(pathway, conseiller), conseiller, on=datetime.date(2026, 10, 20))
    action = contract.actions.order_by("action_code").first()
    client = client_as(conseiller)
    page = client.get(reverse("pathways:contract", args=[camille.public_id])).content.decode()
    select = re.search(rf'<select[^>]*id="statut-{action.public_id}"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select)
    assert options == [("", " selected"), ("en_cours", ""), ("abandonnee", ""), ("annulee", "")]
    url = reverse("pathways:action_status", args=[camille.public_id, action.public_id])
    response = client.post(url, {"status": ""})
    assert response.status_code == 302
    assert PlanAction.objects.get(pk=action.pk).status == PlanItemStatus.PLANNED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Statut : choisissez un statut dans la liste."]
