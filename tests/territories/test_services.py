from decimal import Decimal

import pytest

from spie.accounts.actors import Actor
from spie.accounts.perms import is_national_admin
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.territories import perms, services
from spie.territories.budget import national_budget_by_year
from spie.territories.enums import BudgetPurpose, TerritoryStatus
from spie.territories.models import BudgetEnvelope, BudgetLine, Territory
from tests.territories.factories import BudgetLineFactory, DepartementFactory, EpciFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def by(admin_national):
    return Actor(user=admin_national, membership=admin_national.memberships.get())


def _territory_fields(nord, **overrides):
    fields = {
        "code": "62",
        "name": "Pas-de-Calais",
        "cohort": nord.cohort,
        "status": TerritoryStatus.PREPARATION,
        "departements": [DepartementFactory(code="62", name="Pas-de-Calais")],
        "epcis": [],
        "time_zone": "Europe/Paris",
        "started_on": None,
    }
    return {**fields, **overrides}


def test_create_territory_is_audited_without_personal_data(by, nord):
    territory = services.create_territory(by=by, **_territory_fields(nord))

    event = AuditEvent.objects.get(action="territories.territory.created")
    assert event.target_id == territory.public_id
    assert event.territory == territory
    assert event.actor == by.user
    assert event.data == {
        "code": "62",
        "cohort": nord.cohort.code,
        "status": "preparation",
        "departements": ["62"],
        "epcis": [],
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "59"}, "code", "déjà celui d'un autre territoire"),
        ({"code": "nouveau"}, "code", "réservé"),
        ({"code": "Côte d'Or"}, "code", "Code invalide"),
        ({"code": ""}, "code", "Code invalide"),
        ({"name": "  "}, "name", "nom du territoire"),
        ({"status": "nimporte"}, "status", "statut"),
        ({"time_zone": "Europe/London"}, "time_zone", "fuseau horaire"),
        ({"departements": [], "epcis": []}, "departements", "au moins un département ou un EPCI"),
    ],
)
def test_create_territory_refusals(by, nord, overrides, field, message):
    with pytest.raises(DomainError, match=message) as error:
        services.create_territory(by=by, **_territory_fields(nord, **overrides))

    assert error.value.field == field
    assert not Territory.objects.filter(code="62").exists()
    assert not AuditEvent.objects.exists()


def test_a_territory_can_be_an_epci_only(by, nord):
    lyon = EpciFactory(siren="200046977", name="Métropole de Lyon", kind="MET69")

    territory = services.create_territory(
        by=by, **_territory_fields(nord, code="metropole-lyon", departements=[], epcis=[lyon])
    )

    assert list(territory.epcis.all()) == [lyon]


def test_update_territory_records_changed_fields(by, nord):
    departement_62 = DepartementFactory(code="62", name="Pas-de-Calais")
    fields = {
        "code": "59",
        "name": "Nord",
        "cohort": nord.cohort,
        "status": TerritoryStatus.DEPLOYED,
        "departements": list(nord.departements.all()),
        "epcis": [],
        "time_zone": "Europe/Paris",
        "started_on": None,
    }

    services.update_territory(territory=nord, by=by, **fields)
    assert not AuditEvent.objects.exists()

    services.update_territory(
        territory=nord, by=by, **{**fields, "departements": [*fields["departements"], departement_62]}
    )

    event = AuditEvent.objects.get(action="territories.territory.updated")
    assert event.data == {"fields": ["departements"], "departements": ["59", "62"], "epcis": []}
    assert sorted(nord.departements.values_list("code", flat=True)) == ["59", "62"]


def test_update_territory_refuses_the_code_of_another(by, nord, ardennes):
    with pytest.raises(DomainError, match="déjà celui"):
        services.update_territory(
            territory=nord,
            by=by,
            code="08",
            name="Nord",
            cohort=nord.cohort,
            status=nord.status,
            departements=list(nord.departements.all()),
            epcis=[],
            time_zone=nord.time_zone,
        )


def test_create_cohort(by):
    cohort = services.create_cohort(code="2021-second-appel", name="2021 — second appel", year=2021, by=by)

    event = AuditEvent.objects.get(action="territories.cohort.created")
    assert event.target_id == cohort.public_id
    assert event.data == {"code": "2021-second-appel", "year": 2021}
    with pytest.raises(DomainError, match="déjà le code"):
        services.create_cohort(code="2021-second-appel", name="Doublon", year=2021, by=by)
    with pytest.raises(DomainError, match="entre 2000 et 2100"):
        services.create_cohort(code="x", name="X", year=1999, by=by)


def test_create_budget_lines(by, nord):
    line = services.create_budget_line(
        year=2021, purpose=BudgetPurpose.TERRITORY_PROJECT, amount="483870.97", territory=nord, by=by
    )
    national = services.create_budget_line(
        year=2021, purpose=BudgetPurpose.NATIONAL_SUPPORT, amount=Decimal("15000000"), label="Appui", by=by
    )

    assert line.amount == Decimal("483870.97")
    assert national.territory is None
    event = AuditEvent.objects.filter(action="territories.budget_line.created").order_by("id").first()
    assert event.territory == nord
    assert event.data == {
        "year": 2021,
        "purpose": "territory_project",
        "amount": "483870.97",
        "label": "",
        "territory": "59",
    }


@pytest.mark.parametrize(
    ("purpose", "amount", "with_territory", "field", "message"),
    [
        (BudgetPurpose.NATIONAL_SUPPORT, "10", True, "territory", "aucun territoire"),
        (BudgetPurpose.TERRITORY_PROJECT, "10", False, "territory", "Choisissez le territoire"),
        (BudgetPurpose.TERRITORY_PROJECT, "-0.01", True, "amount", "positif ou nul"),
        (BudgetPurpose.TERRITORY_PROJECT, "abc", True, "amount", "nombre d'euros"),
        (BudgetPurpose.TERRITORY_PROJECT, "NaN", True, "amount", "positif ou nul"),
        (BudgetPurpose.TERRITORY_PROJECT, "1.001", True, "amount", "deux décimales"),
        (BudgetPurpose.TERRITORY_PROJECT, "1e12", True, "amount", "10 milliards"),
        ("autre", "10", True, "purpose", "objet"),
    ],
)
def test_budget_line_refusals(by, nord, purpose, amount, with_territory, field, message):
    with pytest.raises(DomainError, match=message) as error:
        services.create_budget_line(
            year=2021, purpose=purpose, amount=amount, territory=nord if with_territory else None, by=by
        )

    assert error.value.field == field
    assert not BudgetLine.objects.exists()


def test_update_and_delete_budget_line(by, nord):
    line = BudgetLineFactory(territory=nord, amount=Decimal("10.00"))

    services.update_budget_line(
        line=line, year=2021, purpose=BudgetPurpose.TERRITORY_PROJECT, amount="12.50", territory=nord, by=by
    )
    services.delete_budget_line(line=line, by=by)

    updated, deleted = AuditEvent.objects.order_by("id")
    assert updated.data["before"]["amount"] == "10.00"
    assert updated.data["after"]["amount"] == "12.50"
    assert deleted.action == "territories.budget_line.deleted"
    assert deleted.target_id == line.public_id
    assert not BudgetLine.objects.exists()


def test_national_budget_by_year(nord):
    BudgetEnvelope.objects.create(year=2021, purpose=BudgetPurpose.TERRITORY_PROJECT, amount=Decimal("100"))
    BudgetEnvelope.objects.create(year=2021, purpose=BudgetPurpose.NATIONAL_SUPPORT, amount=Decimal("100"))
    BudgetLineFactory(territory=nord, amount=Decimal("120"))
    BudgetLineFactory(territory=nord, amount=Decimal("5"), year=2022)

    first, second = national_budget_by_year()

    assert first.year == 2021
    assert first.planned_total == Decimal("200")
    assert first.allocated_territories == Decimal("120")
    assert first.territories_share == 100
    assert first.territories_overrun == Decimal("20")
    assert second.year == 2022
    assert second.planned_total is None
    assert second.territories_share is None


def test_predicates_follow_the_national_role(admin_national, conseiller, gestionnaire):
    for user in (admin_national, conseiller, gestionnaire):
        membership = user.memberships.get()
        expected = is_national_admin(membership)
        assert perms.can_list_territories(membership) is expected
        assert perms.can_manage_territories(membership) is expected
        assert perms.can_manage_budget(membership) is expected
    assert perms.can_manage_budget(None) is False
