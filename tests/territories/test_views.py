from decimal import Decimal

import pytest
from django.urls import reverse

from spie.core.models import AuditEvent
from spie.territories.enums import BudgetPurpose, TerritoryStatus
from spie.territories.models import BudgetEnvelope, BudgetLine, Cohort, Territory
from tests.accounts.factories import OrganisationFactory
from tests.territories.factories import (
    BudgetLineFactory,
    CohortFactory,
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "conseiller", "gestionnaire", "other_territory", "admin_national"]


@pytest.fixture
def nord_line(nord):
    return BudgetLineFactory(territory=nord, amount=Decimal("1000.00"))


@pytest.fixture
def national_line(db):
    return BudgetLineFactory(territory=None, purpose=BudgetPurpose.NATIONAL_SUPPORT, amount=Decimal("15000000.00"))


def _expected_for(persona, *, own, national):
    """Status for a page about the Nord territory: `own` is the status for professionals of Nord."""
    return {
        "anonymous": 302,
        "conseiller": own,
        "gestionnaire": own,
        "other_territory": national,
        "admin_national": 200,
    }[persona]


# (url name, args builder, status for Nord's professionals, status for Ardennes' professional)
GET_MATRIX = [
    ("list", lambda f: [], 403, 403),
    ("detail", lambda f: [f["nord"].code], 200, 404),
    ("edit", lambda f: [f["nord"].code], 403, 404),
    ("create", lambda f: [], 403, 403),
    ("cohort_create", lambda f: [], 403, 403),
    ("budget_line_create", lambda f: [], 403, 403),
    ("budget_line_edit", lambda f: [f["nord_line"].public_id], 403, 404),
    ("budget_line_delete", lambda f: [f["nord_line"].public_id], 403, 404),
]


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize(("name", "args", "own", "other"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_permission_matrix(persona, name, args, own, other, request, client_as, nord, nord_line, ardennes):
    fixtures = {"nord": nord, "nord_line": nord_line}
    persona_name = request.node.callspec.params["persona"]
    url = reverse(f"territories:{name}", args=args(fixtures))

    response = client_as(persona).get(url)

    assert response.status_code == _expected_for(persona_name, own=own, national=other)
    if persona_name == "anonymous":
        assert response.url.startswith("/connexion/")


@pytest.mark.parametrize("persona", ["conseiller", "other_territory", "admin_national"], indirect=True)
def test_national_support_lines_are_for_national_administrators_only(persona, request, client_as, national_line):
    persona_name = request.node.callspec.params["persona"]
    expected = 200 if persona_name == "admin_national" else 404

    response = client_as(persona).get(reverse("territories:budget_line_edit", args=[national_line.public_id]))

    assert response.status_code == expected


@pytest.mark.parametrize("persona", ["conseiller", "gestionnaire", "other_territory"], indirect=True)
def test_professionals_cannot_write(persona, client_as, nord, nord_line, ardennes):
    client = client_as(persona)
    posts = [
        (reverse("territories:create"), {"code": "62", "name": "Pas-de-Calais"}),
        (reverse("territories:cohort_create"), {"code": "x", "name": "X", "year": 2022}),
        (
            reverse("territories:budget_line_create"),
            {"year": 2021, "purpose": "national_support", "amount": "1"},
        ),
        (reverse("territories:budget_line_delete", args=[nord_line.public_id]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in (403, 404)
    assert BudgetLine.objects.filter(pk=nord_line.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="territories.").exists()


def test_list_shows_figures_and_the_national_budget(client_as, admin_national, nord, ardennes, ft_lille):
    BudgetLineFactory(territory=ardennes, amount=Decimal("483870.97"))
    BudgetLineFactory(territory=None, purpose=BudgetPurpose.NATIONAL_SUPPORT, amount=Decimal("15000000.00"))
    BudgetEnvelope.objects.create(year=2021, purpose=BudgetPurpose.TERRITORY_PROJECT, amount=Decimal("15000000"))
    BudgetEnvelope.objects.create(year=2021, purpose=BudgetPurpose.NATIONAL_SUPPORT, amount=Decimal("15000000"))

    response = client_as(admin_national).get(reverse("territories:list"))

    content = response.content.decode()
    assert "Ardennes" in content and "Nord" in content
    assert "Budget 2021 : 30\xa0000\xa0000,00 €" in content
    assert "483\xa0870,97 €" in content
    assert "soit 3 % de l'enveloppe des projets" in content
    assert '<rect x="0" y="0" width="3"' in content
    assert "style=" not in content
    rows = {t.code: t for t in response.context["page_obj"]}
    assert rows["59"].structure_count == 1
    assert rows["08"].budget_total == Decimal("483870.97")


def test_list_filters_and_sort(client_as, admin_national, nord, ardennes):
    client = client_as(admin_national)

    by_cohort = client.get(reverse("territories:list"), {"cohort": "2021-appel-a-projets"})
    by_search = client.get(reverse("territories:list"), {"q": "nor"})
    by_code = client.get(reverse("territories:list"), {"q": "08"})
    by_status = client.get(reverse("territories:list"), {"status": TerritoryStatus.CLOSED})
    sorted_desc = client.get(reverse("territories:list"), {"tri": "-nom"})

    assert [t.code for t in by_cohort.context["page_obj"]] == ["08"]
    assert [t.code for t in by_search.context["page_obj"]] == ["59"]
    assert [t.code for t in by_code.context["page_obj"]] == ["08"]
    assert list(by_status.context["page_obj"]) == []
    assert [t.code for t in sorted_desc.context["page_obj"]] == ["59", "08"]


def test_list_bad_parameters_do_not_break(client_as, admin_national, nord):
    response = client_as(admin_national).get(
        reverse("territories:list"), {"cohort": "inconnue", "tri": "nimporte", "page": "abc", "status": "x"}
    )

    assert response.status_code == 200


def test_list_csv_export(client_as, admin_national, nord, ardennes):
    BudgetLineFactory(territory=ardennes, amount=Decimal("10.50"))

    response = client_as(admin_national).get(reverse("territories:list"), {"format": "csv"})

    content = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert content.startswith("\ufeffCode;Nom;Cohorte;Statut;Départements;Structures;Budget attribué (€)")
    assert "08;Ardennes;2021 — appel à projets;Déployé;08;0;10,50" in content


def test_list_runs_a_bounded_number_of_queries(client_as, admin_national, django_assert_max_num_queries):
    cohort = CohortFactory()
    for number in range(30):
        departement = DepartementFactory(code=f"{number + 10}", name=f"D{number}")
        territory = TerritoryFactory(code=f"t{number}", name=f"T{number}", cohort=cohort, departements=[departement])
        OrganisationFactory(territory=territory)
        BudgetLineFactory(territory=territory)
    client = client_as(admin_national)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("territories:list"))

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25


def test_detail_shows_perimeter_structures_and_budget(client_as, conseiller, nord, ft_lille, departement_nord):
    epci = EpciFactory()
    nord.epcis.add(epci)
    CommuneFactory(insee_code="59009", name="Villeneuve-d'Ascq", departement=nord.departements.first())
    BudgetLineFactory(territory=nord, amount=Decimal("1000.00"))
    BudgetLineFactory(territory=nord, amount=Decimal("234.56"), year=2022)

    response = client_as(conseiller).get(reverse("territories:detail", args=["59"]))

    content = response.content.decode()
    assert response.context["commune_count"] == 2
    assert "<code>59</code> Nord" in content
    assert "Métropole Européenne de Lille" in content
    assert reverse("accounts:organisation_detail", args=[ft_lille.public_id]) in content
    assert "Département du Nord" in content
    assert "1\xa0234,56 €" in content
    assert "Europe/Paris" in content or "Métropole" in content
    assert reverse("territories:edit", args=["59"]) not in content


def test_admin_creates_a_territory(client_as, admin_national, ardennes):
    region = ardennes.departements.first().region
    DepartementFactory(code="67", name="Bas-Rhin", region=region)
    DepartementFactory(code="68", name="Haut-Rhin", region=region)
    cohort = Cohort.objects.get(code="2021-appel-a-projets")

    response = client_as(admin_national).post(
        reverse("territories:create"),
        {
            "code": "cea",
            "name": "Collectivité européenne d'Alsace",
            "cohort": cohort.code,
            "status": TerritoryStatus.PREPARATION,
            "departements": "67, 68",
            "epcis": "",
            "time_zone": "Europe/Paris",
            "started_on": "2021-04-01",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("territories:detail", args=["cea"])
    territory = Territory.objects.get(code="cea")
    assert sorted(territory.departements.values_list("code", flat=True)) == ["67", "68"]
    assert AuditEvent.objects.filter(action="territories.territory.created", territory=territory).exists()


def test_create_form_names_unknown_codes(client_as, admin_national, nord):
    response = client_as(admin_national).post(
        reverse("territories:create"),
        {
            "code": "x",
            "name": "X",
            "cohort": nord.cohort.code,
            "status": "deployed",
            "departements": "59, 99",
            "epcis": "123",
            "time_zone": "Europe/Paris",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "99" in errors["departements"][0]
    assert "123" in errors["epcis"][0]


def test_create_refuses_a_taken_code(client_as, admin_national, nord):
    response = client_as(admin_national).post(
        reverse("territories:create"),
        {
            "code": "59",
            "name": "Encore le Nord",
            "cohort": nord.cohort.code,
            "status": "deployed",
            "departements": "59",
            "time_zone": "Europe/Paris",
        },
    )

    assert response.status_code == 200
    assert "déjà celui d'un autre territoire" in response.context["form"].errors["code"][0]


def test_admin_edits_a_territory(client_as, admin_national, nord):
    client = client_as(admin_national)
    form_page = client.get(reverse("territories:edit", args=["59"]))
    assert form_page.context["form"].initial["departements"] == "59"

    response = client.post(
        reverse("territories:edit", args=["59"]),
        {
            "code": "59",
            "name": "Département du Nord",
            "cohort": nord.cohort.code,
            "status": TerritoryStatus.CLOSED,
            "departements": "59",
            "time_zone": "Europe/Paris",
        },
    )

    assert response.status_code == 302
    nord.refresh_from_db()
    assert nord.name == "Département du Nord"
    event = AuditEvent.objects.get(action="territories.territory.updated")
    assert event.data["fields"] == ["name", "status"]


def test_admin_creates_a_cohort(client_as, admin_national):
    response = client_as(admin_national).post(
        reverse("territories:cohort_create"),
        {"code": "2021-second-appel", "name": "2021 — second appel à projets, juillet 2021", "year": 2021},
    )

    assert response.status_code == 302
    assert Cohort.objects.filter(code="2021-second-appel").exists()
    assert AuditEvent.objects.filter(action="territories.cohort.created").exists()


def test_admin_adds_a_budget_line_to_a_territory(client_as, admin_national, nord):
    client = client_as(admin_national)
    page = client.get(reverse("territories:budget_line_create"), {"territoire": "59"})
    assert page.context["form"].initial["territory"] == "59"

    response = client.post(
        reverse("territories:budget_line_create"),
        {
            "year": 2021,
            "purpose": "territory_project",
            "territory": "59",
            "amount": "483870,97",
            "label": "Projet",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("territories:detail", args=["59"])
    assert nord.budget_lines.get().amount == Decimal("483870.97")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"purpose": "national_support", "amount": "10", "territory": "NORD"},
            "territory",
            "aucun territoire",
        ),
        ({"purpose": "territory_project", "amount": "10"}, "territory", "Choisissez le territoire"),
        ({"purpose": "national_support", "amount": "-1"}, "amount", "positif ou nul"),
        ({"purpose": "national_support", "amount": "abc"}, "amount", "nombre"),
    ],
)
def test_budget_line_validation(client_as, admin_national, nord, data, field, message):
    data = {"year": 2021, "label": "", **data}
    if data.get("territory") == "NORD":
        data["territory"] = nord.code

    response = client_as(admin_national).post(reverse("territories:budget_line_create"), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not BudgetLine.objects.exists()


def test_admin_edits_and_deletes_a_budget_line(client_as, admin_national, nord, nord_line):
    client = client_as(admin_national)

    edited = client.post(
        reverse("territories:budget_line_edit", args=[nord_line.public_id]),
        {
            "year": 2021,
            "purpose": "territory_project",
            "territory": "59",
            "amount": "2000",
            "label": "Ajusté",
        },
    )
    assert edited.status_code == 302
    nord_line.refresh_from_db()
    assert nord_line.amount == Decimal("2000.00")

    confirm = client.get(reverse("territories:budget_line_delete", args=[nord_line.public_id]))
    assert "Confirmer la suppression" in confirm.content.decode()
    deleted = client.post(reverse("territories:budget_line_delete", args=[nord_line.public_id]))

    assert deleted.status_code == 302
    assert not BudgetLine.objects.exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["territories.budget_line.updated", "territories.budget_line.deleted"]


def test_detail_runs_a_bounded_number_of_queries(client_as, conseiller, nord, django_assert_max_num_queries):
    for _ in range(20):
        OrganisationFactory(territory=nord)
        BudgetLineFactory(territory=nord)
    client = client_as(conseiller)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("territories:detail", args=["59"]))

    assert response.status_code == 200
