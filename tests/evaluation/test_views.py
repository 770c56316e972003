"""Indicator pages: values with target and national value, « non calculable », filters with French
errors, the chart and its table, CSV export (audited), national comparison, definitions."""

import csv
import io

import pytest
from django.urls import reverse

from spie.core.models import AuditEvent
from tests.evaluation.conftest import frozen

pytestmark = pytest.mark.django_db


def _csv(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_a_coordinator_reads_the_territorys_indicators_with_target_and_national_value(
    history, client_as, coordinator, django_assert_max_num_queries
):
    client = client_as(coordinator)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("evaluation:indicators"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Indicateurs — Nord" in page
    row = page[page.index('id="indicateur-delai_orientation"') :]
    row = row[: row.index("</tr>")]
    # Nord 15 days (target 30: reached), national 10 days; cohorts up to 30/09/2026.
    assert "15 jours" in row and "30 jours" in row and "10 jours" in row and "cible atteinte" in row
    assert "jusqu&#x27;au 30/09/2026" in row or "jusqu'au 30/09/2026" in row
    assert 'role="img"' in page and '<title id="graphique-orientation-titre">' in page
    assert "08/2026" in page  # the table alternative of the chart, per month of entry


def test_a_structure_manager_sees_only_their_structure(history, client_as, gestionnaire):
    page = client_as(gestionnaire).get(reverse("evaluation:indicators")).content.decode()
    assert "France Travail Lille (Nord)" in page
    row = page[page.index('id="indicateur-orientation_dans_le_delai"') :]
    assert "2 / 2" in row[: row.index("</tr>")]
    assert 'name="structure"' not in page  # no choice: the structure is theirs


def test_non_calculable_when_nothing_is_counted_and_filters_named_in_errors(history, client_as, coordinator):
    client = client_as(coordinator)
    page = client.get(reverse("evaluation:indicators"), {"mois_entree": "2019-01"}).content.decode()
    row = page[page.index('id="indicateur-delai_orientation"') :]
    assert "non calculable" in row[: row.index("</tr>")]
    page = client.get(reverse("evaluation:indicators"), {"mois_entree": "mars", "du": "2026-05-01", "au": "2026-01-01"})
    text = page.content.decode()
    assert "Mois d&#x27;entrée : indiquez l&#x27;année et le mois" in text or "Mois d'entrée : indiquez" in text
    assert "la fin de la période doit suivre son début" in text
    # A valid filter beside an invalid one still applies (P2, social, oriented in 50 days).
    page = client.get(reverse("evaluation:indicators"), {"mois_entree": "mars", "type_parcours": "social"})
    text = page.content.decode()
    row = text[text.index('id="indicateur-delai_orientation"') :]
    assert "50 jours" in row[: row.index("</tr>")]


def test_the_csv_export_carries_the_same_values_and_is_audited(history, client_as, coordinator):
    response = client_as(coordinator).get(reverse("evaluation:export"), {"type_parcours": "social"})
    rows = _csv(response)
    assert rows[0][:5] == ["code", "indicateur", "thème", "unité", "valeur"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["delai_orientation"][4:9] == ["50,0", "", "1", "30", "50,0"]
    assert by_code["sorties_emploi"][4] == "non calculable"
    assert by_code["offres_a_jour"][10] == "type de parcours".capitalize()
    event = AuditEvent.objects.get(action="evaluation.indicators.exported")
    assert event.data["pathway_type"] == "social" and event.territory.code == "59"


def test_a_national_administrator_chooses_a_territory_or_the_whole_country(
    history, client_as, admin_national, ardennes
):
    client = client_as(admin_national)
    page = client.get(reverse("evaluation:indicators")).content.decode()
    assert "Indicateurs — Ensemble national" in page
    page = client.get(reverse("evaluation:indicators"), {"territoire": "08"}).content.decode()
    assert "Indicateurs — Ardennes" in page
    assert client.get(reverse("evaluation:indicators"), {"territoire": "inconnu"}).status_code == 404


def test_the_national_page_compares_territories_and_cohorts_and_exports(history, client_as, admin_national):
    client = client_as(admin_national)
    page = client.get(reverse("evaluation:national")).content.decode()
    assert "Ensemble de la cohorte" in page and "Ensemble national" in page
    assert "Nord" in page and "Ardennes" in page
    rows = _csv(client.get(reverse("evaluation:national"), {"format": "csv"}))
    nord = next(row for row in rows if row[1] == "Nord")
    national = rows[-1]
    assert nord[2] == "15,0" and national[1] == "Ensemble national" and national[2] == "10,0"
    assert AuditEvent.objects.filter(action="evaluation.indicators.exported", data__kind="national").exists()


def test_definitions_say_what_is_counted_and_from_which_dates(client_as, conseiller):
    with frozen():
        client = client_as(conseiller)
        page = client.get(reverse("evaluation:definitions")).content.decode()
        assert "Délai d&#x27;orientation (médiane)" in page or "Délai d'orientation (médiane)" in page
        page = client.get(reverse("evaluation:definition", args=["contrat_dans_le_mois"])).content.decode()
        assert "Date de notification de l" in page and "cohortes mensuelles" in page
        assert client.get(reverse("evaluation:definition", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("coordinator", True), ("gestionnaire", True), ("admin_national", True), ("conseiller", False)],
    indirect=["persona"],
)
def test_the_menu_offers_indicators_to_those_who_may_read_them(client_as, persona, shown):
    page = client_as(persona).get(reverse("evaluation:definitions")).content.decode()
    assert (f'href="{reverse("evaluation:indicators")}"' in page) is shown


def test_a_coordinator_filters_by_structure_and_finds_the_participatory_evaluation(
    history, client_as, coordinator, ft_lille
):
    client = client_as(coordinator)
    page = client.get(reverse("evaluation:indicators"), {"structure": str(ft_lille.public_id)}).content.decode()
    assert "Indicateurs — France Travail Lille (Nord)" in page
    row = page[page.index('id="indicateur-orientation_dans_le_delai"') :]
    assert "2 / 2" in row[: row.index("</tr>")]
    assert reverse("studies:territory_evaluations", args=["59"]) in page
    unknown = "00000000-0000-4000-8000-000000000000"
    page = client.get(reverse("evaluation:indicators"), {"structure": unknown}).content.decode()
    assert "Indicateurs — Nord" in page and "Sélectionnez un choix valide" in page


def test_values_are_written_the_french_way():
    from decimal import Decimal

    from spie.evaluation import catalogue
    from spie.evaluation.compute import Measure
    from spie.evaluation.reports import format_value

    by_code = catalogue.BY_CODE
    assert format_value(Measure(Decimal("27.5")), by_code["delai_orientation"]) == "27,5 jours"
    assert format_value(Measure(Decimal("1.0")), by_code["delai_orientation"]) == "1 jour"
    assert format_value(Measure(Decimal("66.7"), 2, 3), by_code["sorties_emploi"]) == "66,7 %"
    assert format_value(Measure(Decimal("750000")), by_code["budget_alloue"]) == "750\u202f000 €"
    assert format_value(Measure(None, 0, 0), by_code["sorties_emploi"]) == "non calculable"
