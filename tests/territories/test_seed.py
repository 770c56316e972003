import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from spie.core.models import AuditEvent
from spie.territories.enums import BudgetPurpose, TerritoryStatus
from spie.territories.models import BudgetEnvelope, BudgetLine, Cohort, Territory
from spie.territories.seed import DATA_FILE, SeedError, load_official_territories, split_equally
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _official_data():
    with open(DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def geography():
    """Every département and EPCI the official list names (stand-ins for the COG rows)."""
    region = RegionFactory(code="99", name="Région de test")
    data = _official_data()
    for code in sorted({code for t in data["territories"] for code in t["departements"]}):
        DepartementFactory(code=code, name=f"Département {code}", region=region)
    for siren in sorted({siren for t in data["territories"] for siren in t["epcis"]}):
        EpciFactory(siren=siren, name=f"EPCI {siren}")


def _write(tmp_path, data):
    path = tmp_path / "territoires.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_split_equally_keeps_the_exact_total_to_the_cent():
    amounts = split_equally(Decimal("15000000"), 31)
    assert sum(amounts) == Decimal("15000000.00")
    assert amounts.count(Decimal("483870.97")) == 24
    assert amounts.count(Decimal("483870.96")) == 7


def test_the_data_file_lists_14_then_31_territories():
    data = _official_data()
    cohorts = [t["cohort"] for t in data["territories"]]
    assert cohorts.count("2020-experimentation") == 14
    assert cohorts.count("2021-appel-a-projets") == 31


def test_load_creates_the_official_cohorts_and_territories(geography):
    summary = load_official_territories()

    assert summary["cohorts_created"] == 2
    assert summary["territories_created"] == 45
    assert Territory.objects.filter(cohort__code="2020-experimentation").count() == 14
    assert Territory.objects.filter(cohort__code="2021-appel-a-projets").count() == 31
    assert Cohort.objects.get(code="2021-appel-a-projets").name == "2021 — premier appel à projets, avril 2021"
    ardennes = Territory.objects.get(code="08")
    assert ardennes.name == "Ardennes"
    assert ardennes.status == TerritoryStatus.DEPLOYED
    assert list(ardennes.departements.values_list("code", flat=True)) == ["08"]
    assert Territory.objects.get(code="974").time_zone == "Indian/Reunion"
    assert Territory.objects.get(code="972").time_zone == "America/Martinique"
    assert Territory.objects.get(code="973").time_zone == "America/Cayenne"
    assert Territory.objects.get(code="59").time_zone == "Europe/Paris"


def test_perimeters_by_departements_and_epcis(geography):
    load_official_territories()

    bretagne = Territory.objects.get(code="bretagne")
    assert sorted(bretagne.departements.values_list("code", flat=True)) == ["22", "29", "35", "56"]
    assert sorted(bretagne.epcis.values_list("siren", flat=True)) == ["242900314", "243500139"]
    lyon = Territory.objects.get(code="metropole-lyon")
    assert not lyon.departements.exists()
    assert list(lyon.epcis.values_list("siren", flat=True)) == ["200046977"]


def test_bas_rhin_belongs_to_two_territories_of_two_cohorts(geography):
    load_official_territories()

    territories = Territory.objects.filter(departements__code="67").order_by("code")
    assert [(t.code, t.cohort.code) for t in territories] == [
        ("67", "2020-experimentation"),
        ("cea", "2021-appel-a-projets"),
    ]
    assert sorted(Territory.objects.get(code="cea").departements.values_list("code", flat=True)) == [
        "67",
        "68",
    ]


def test_the_2021_budget_is_30_millions_split_exactly(geography):
    summary = load_official_territories()

    assert summary["budget_lines_created"] == 32
    lines = BudgetLine.objects.filter(year=2021)
    national = lines.get(purpose=BudgetPurpose.NATIONAL_SUPPORT)
    assert national.territory is None
    assert national.amount == Decimal("15000000.00")
    assert national.label == "Appui technique national, outils numériques compris"
    projects = lines.filter(purpose=BudgetPurpose.TERRITORY_PROJECT)
    assert projects.count() == 31
    assert projects.aggregate(total=Sum("amount"))["total"] == Decimal("15000000.00")
    assert set(projects.values_list("territory__cohort__code", flat=True)) == {"2021-appel-a-projets"}
    assert "indicative" in projects.first().label
    assert lines.aggregate(total=Sum("amount"))["total"] == Decimal("30000000.00")
    envelopes = BudgetEnvelope.objects.filter(year=2021)
    assert envelopes.aggregate(total=Sum("amount"))["total"] == Decimal("30000000.00")


def test_a_second_load_creates_nothing(geography):
    load_official_territories()
    events = AuditEvent.objects.count()

    summary = load_official_territories()

    assert summary == {
        "cohorts_created": 0,
        "cohorts_updated": 0,
        "territories_created": 0,
        "territories_updated": 0,
        "territories_total": 45,
        "envelopes_created": 0,
        "budget_lines_created": 0,
    }
    assert Territory.objects.count() == 45
    assert BudgetLine.objects.count() == 32
    assert AuditEvent.objects.count() == events


def test_a_new_load_keeps_the_amounts_and_status_set_by_the_administration(geography):
    load_official_territories()
    line = BudgetLine.objects.get(territory__code="08")
    line.amount = Decimal("700000.00")
    line.save()
    Territory.objects.filter(code="08").update(status=TerritoryStatus.CLOSED)

    load_official_territories()

    line.refresh_from_db()
    assert line.amount == Decimal("700000.00")
    assert BudgetLine.objects.filter(territory__code="08").count() == 1
    assert Territory.objects.get(code="08").status == TerritoryStatus.CLOSED


def test_a_new_load_updates_names_and_perimeters(tmp_path, geography):
    load_official_territories()
    data = _official_data()
    for territory in data["territories"]:
        if territory["code"] == "bretagne":
            territory["name"] = "Bretagne"
            territory["epcis"] = ["242900314"]

    summary = load_official_territories(_write(tmp_path, data))

    assert summary["territories_updated"] == 1
    bretagne = Territory.objects.get(code="bretagne")
    assert bretagne.name == "Bretagne"
    assert list(bretagne.epcis.values_list("siren", flat=True)) == ["242900314"]


def test_a_missing_departement_names_the_territory_and_the_code(tmp_path):
    RegionFactory()
    DepartementFactory(code="59")
    data = _official_data()
    data["territories"] = [t for t in data["territories"] if t["code"] in ("59", "08")]
    data["budget"] = None

    with pytest.raises(SeedError, match=r"Territoire « Ardennes » \(08\) : département 08 introuvable"):
        load_official_territories(_write(tmp_path, data))

    assert not Territory.objects.exists()
    assert not Cohort.objects.exists()


def test_a_missing_epci_names_the_territory_and_the_code(tmp_path):
    data = _official_data()
    data["territories"] = [t for t in data["territories"] if t["code"] == "metropole-lyon"]
    data["budget"] = None

    with pytest.raises(SeedError, match="Métropole de Lyon.*EPCI 200046977 introuvable"):
        load_official_territories(_write(tmp_path, data))


def test_small_data_file(tmp_path):
    """Two territories sharing a département, with a budget split over one cohort."""
    region = RegionFactory()
    DepartementFactory(code="67", name="Bas-Rhin", region=region)
    DepartementFactory(code="68", name="Haut-Rhin", region=region)
    data = {
        "cohorts": [
            {"code": "a", "name": "A", "year": 2020, "description": ""},
            {"code": "b", "name": "B", "year": 2021, "description": ""},
        ],
        "territories": [
            {"code": "67", "name": "Bas-Rhin", "cohort": "a", "departements": ["67"], "epcis": []},
            {"code": "cea", "name": "CEA", "cohort": "b", "departements": ["67", "68"], "epcis": []},
        ],
        "budget": {
            "year": 2021,
            "envelopes": [{"purpose": "territory_project", "amount": "10.00", "label": ""}],
            "national_support": {"amount": "5.00", "label": "Appui"},
            "territory_projects": {"cohort": "b", "amount": "10.00", "label": "Indicatif"},
        },
    }
    for territory in data["territories"]:
        territory["time_zone"] = "Europe/Paris"
    path = _write(tmp_path, data)

    first = load_official_territories(path)
    second = load_official_territories(path)

    assert first["territories_created"] == 2
    assert first["budget_lines_created"] == 2
    assert second["territories_created"] == second["budget_lines_created"] == 0
    assert BudgetLine.objects.get(territory__code="cea").amount == Decimal("10.00")
    assert Territory.objects.filter(departements__code="67").count() == 2


def test_management_command(geography, capsys):
    call_command("load_territories")

    assert "45 créés" in capsys.readouterr().out


def test_the_load_is_set_based(geography, django_assert_max_num_queries):
    """A fixed number of queries whatever the number of territories (no query per row)."""
    with django_assert_max_num_queries(30):
        load_official_territories()
    with django_assert_max_num_queries(20):
        load_official_territories()
