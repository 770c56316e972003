"""The coordinator's page of territorial roles: who, since when, granted by whom and why; withdrawal;
the structure types a territory designates."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from spie.accounts.enums import OrganisationType, Role
from spie.accounts.models import Membership
from spie.core.models import AuditEvent
from spie.territories.models import TerritorySettings
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

URL = "accounts:territorial_roles"


@pytest.fixture
def company_officer(nord):
    """An orientation officer in a company: granted before the rule, without reason."""
    company = OrganisationFactory(name="Entreprise Dupont", type=OrganisationType.ENTREPRISE, territory=nord)
    return MembershipFactory(
        user=UserFactory(email="promu@dupont.fr", last_name="Promu"), organisation=company, role=Role.CHARGE_ORIENTATION
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("conseiller", 403),
        ("gestionnaire", 403),
        ("other_structure", 403),
        ("orientation_officer", 403),
        ("other_territory", 403),
        ("coordinator", 200),
    ],
    indirect=["persona"],
)
def test_who_sees_the_page(client_as, persona, status):
    assert client_as(persona).get(reverse(URL)).status_code == status


def test_national_admin_names_the_territory(client_as, admin_national, nord):
    client = client_as(admin_national)
    assert client.get(reverse(URL)).status_code == 404
    assert client.get(reverse(URL) + "?territoire=59").status_code == 200


def test_the_page_lists_holders_and_flags_those_out_of_rule(
    client_as, coordinator, orientation_officer, company_officer
):
    page = client_as(coordinator).get(reverse(URL)).content.decode()
    assert "Promu" in page and orientation_officer.last_name in page
    assert "Structure non autorisée" in page and "Sans motif" in page
    out_of_rule = client_as(coordinator).get(reverse(URL) + "?conformite=hors_regle").context["page_obj"]
    assert company_officer in list(out_of_rule)
    by_type = client_as(coordinator).get(reverse(URL) + "?type=entreprise").context["page_obj"]
    assert list(by_type) == [company_officer]
    by_name = client_as(coordinator).get(reverse(URL) + "?q=dupont").context["page_obj"]
    assert list(by_name) == [company_officer]
    by_role = client_as(coordinator).get(reverse(URL) + "?role=coordinateur").context["page_obj"]
    assert company_officer not in list(by_role)


def test_the_coordinators_menu_links_the_page(client_as, coordinator, conseiller):
    assert reverse(URL) in client_as(coordinator).get(reverse("accounts:home")).content.decode()
    assert reverse(URL) not in client_as(conseiller).get(reverse("accounts:home")).content.decode()


def test_sort_and_csv(client_as, coordinator, company_officer, orientation_officer):
    client = client_as(coordinator)
    names = [m.organisation.name for m in client.get(reverse(URL) + "?tri=structure").context["page_obj"]]
    assert names == sorted(names)
    assert client.get(reverse(URL) + "?tri=n-importe-quoi").status_code == 200
    response = client.get(reverse(URL) + "?format=csv&type=entreprise")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].lstrip("\ufeff").startswith("Nom;Prénom;E-mail;Structure")
    assert "promu@dupont.fr" in body and ";non" in body.splitlines()[1]


def test_the_list_runs_a_bounded_number_of_queries(client_as, coordinator, departement_nord):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(coordinator)
    MembershipFactory(organisation=departement_nord, role=Role.CHARGE_ORIENTATION, user=UserFactory(email="o@n.fr"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(URL))
    for n in range(30):
        user = UserFactory(email=f"o{n}@n.fr")
        MembershipFactory(organisation=departement_nord, role=Role.CHARGE_ORIENTATION, user=user)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse(URL))
    assert page.context["page_obj"].paginator.count == 32
    assert len(many) == len(one)


def test_since_is_the_grant_date(client_as, coordinator, departement_nord, conseiller, nord):
    member = MembershipFactory(organisation=departement_nord, role=Role.CONSEILLER, user=UserFactory(email="x@n.fr"))
    with time_machine.travel(datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC), tick=False):
        client_as(coordinator).post(
            reverse("accounts:territorial_role_grant"),
            {"membership": str(member.public_id), "role": Role.CHARGE_ORIENTATION, "reason": "Renfort"},
        )
    page = client_as(coordinator).get(reverse(URL)).content.decode()
    assert "03/11/2026" in page and "Renfort" in page


def test_the_coordinator_withdraws_an_orientation_role_with_a_reason(client_as, coordinator, company_officer):
    client = client_as(coordinator)
    url = reverse("accounts:territorial_role_withdraw", args=[company_officer.public_id])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "obligatoire" in refused.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"reason": "Structure non autorisée"})
    assert response.status_code == 302
    company_officer.refresh_from_db()
    assert company_officer.role == Role.CONSEILLER and company_officer.is_active
    grant = company_officer.role_grants.get()
    assert grant.withdrawn and grant.reason == "Structure non autorisée" and grant.by == coordinator
    event = AuditEvent.objects.get(action="accounts.membership.territorial_role_withdrawn")
    assert "Structure non autorisée" not in str(event.data)
    assert any("retiré" in m.subject for m in mail.outbox)


def test_withdrawal_is_scoped(client_as, coordinator, gestionnaire, other_territory, ml_ardennes, admin_national):
    outside = MembershipFactory(
        organisation=ml_ardennes, role=Role.CHARGE_ORIENTATION, user=UserFactory(email="a@a.fr")
    )
    url = reverse("accounts:territorial_role_withdraw", args=[outside.public_id])
    assert client_as(coordinator).post(url, {"reason": "x"}).status_code == 404
    assert client_as(gestionnaire).post(url, {"reason": "x"}).status_code == 403
    other_coordinator = Membership.objects.get(user=coordinator)
    url = reverse("accounts:territorial_role_withdraw", args=[other_coordinator.public_id])
    assert client_as(coordinator).post(url, {"reason": "x"}).status_code == 403  # a coordinator: national admin only
    response = client_as(admin_national).post(url + "?territoire=59", {"reason": "Départ"})
    assert response.status_code == 302
    other_coordinator.refresh_from_db()
    assert other_coordinator.role == Role.CONSEILLER


def test_the_coordinator_designates_structure_types(client_as, coordinator, gestionnaire, nord):
    url = reverse("territories:role_types", args=[nord.code])
    assert client_as(gestionnaire).get(url).status_code == 403
    client = client_as(coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, {"types": ["n-existe-pas"]}).status_code == 200
    response = client.post(url, {"types": [OrganisationType.PLIE, OrganisationType.MISSION_LOCALE]})
    assert response.status_code == 302
    assert sorted(TerritorySettings.objects.get(territory=nord).territorial_role_types) == ["mission_locale", "plie"]
    assert AuditEvent.objects.filter(action="territories.settings.role_types_changed").count() == 1


def test_another_territory_cannot_designate_types(client_as, coordinator, ardennes):
    url = reverse("territories:role_types", args=[ardennes.code])
    assert client_as(coordinator).get(url).status_code == 404
