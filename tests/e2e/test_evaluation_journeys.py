"""A coordinator reads the territory's indicators, filters them, exports the CSV and opens a
definition — in Chromium, axe-core clean."""

import datetime

from django.utils import timezone

from spie.core.models import AuditEvent
from tests.evaluation.conftest import make_pathway


def test_a_coordinator_reads_the_indicators_and_exports_them(
    page, login, assert_accessible, coordinator, conseiller, nord, admin_national
):
    today = timezone.localdate()
    days = datetime.timedelta
    for number, entered, oriented in ((1, 150, 130), (2, 120, 80)):
        make_pathway(
            nord,
            referent=conseiller,
            number=number,
            pathway_type="professionnel",
            stage="oriente",
            entered_on=today - days(entered),
            oriented_on=today - days(oriented),
            stage_due_on=today + days(30),
        )
    login(coordinator)
    page.get_by_role("link", name="Indicateurs").first.click()
    page.get_by_role("heading", name="Indicateurs — Nord").wait_for()
    assert_accessible(page)
    # Oriented in 20 and 40 days: median 30 days, one of two within the 30 days' target.
    row = page.locator("#indicateur-delai_orientation")
    assert "30 jours" in row.inner_text()
    assert "1 / 2" in page.locator("#indicateur-orientation_dans_le_delai").inner_text()
    assert page.get_by_role("img", name="Délai d'orientation médian par mois d'entrée").count() == 1

    page.get_by_label("Type de parcours").select_option("social")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**type_parcours=social**")
    assert "non calculable" in page.locator("#indicateur-delai_orientation").inner_text()
    page.get_by_label("Mois d'entrée (cohorte)").fill("mars")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_text("Mois d'entrée : indiquez l'année et le mois au format AAAA-MM").first.wait_for()
    assert_accessible(page)

    page.get_by_label("Mois d'entrée (cohorte)").fill("")
    page.get_by_label("Type de parcours").select_option("professionnel")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**type_parcours=professionnel**")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        content = exported.read()
    assert "delai_orientation;Délai d'orientation (médiane)" in content
    assert AuditEvent.objects.filter(action="evaluation.indicators.exported").count() == 1

    page.get_by_role("link", name="Délai d'orientation (médiane) : définition").click()
    page.get_by_role("heading", name="Délai d'orientation (médiane)").wait_for()
    assert "cohortes mensuelles" in page.content()
    assert_accessible(page)

    # The national administrator compares territories and cohorts.
    page.context.clear_cookies()
    login(admin_national)
    page.get_by_role("link", name="Indicateurs").first.click()
    page.get_by_role("link", name="Comparer les territoires").click()
    page.get_by_role("heading", name="Indicateurs : territoires et cohortes").wait_for()
    assert "Ensemble de la cohorte" in page.content()
    assert_accessible(page)
    assert page.console_errors == []
