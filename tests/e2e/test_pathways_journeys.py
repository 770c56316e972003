"""The shared pathway in Chromium: the referent builds and signs the contract d'engagement,
records a no-show, sees the alert on the point de situation, plans the next appointment from it
(htmx inline form), records a return to work and its first checkpoint — axe-core clean."""

import datetime
import re

import pytest
from django.utils import timezone

from spie.pathways import services_orientation
from spie.referentials.loaders import DEFAULT_DATA_DIR, load_pathway_referential
from spie.referentials.models import RomeDomain, RomeJob
from tests.diagnostics.helpers import actor
from tests.people.factories import PersonFactory, seat


@pytest.fixture
def camille(nord, conseiller, other_structure, orientation_officer):
    """Camille, oriented 90 days ago towards a professional pathway; `conseiller` her referent."""
    load_pathway_referential(DEFAULT_DATA_DIR)
    domain = RomeDomain.objects.create(code="K", label="Services à la personne")
    RomeJob.objects.create(code="K1302", label="Assistant / Assistante de vie dépendance", domain=domain)
    today = timezone.localdate()
    person = PersonFactory(territory=nord, entry_date=today - datetime.timedelta(days=120))
    seat(person, conseiller, is_referent=True)
    seat(person, other_structure)
    services_orientation.decide_orientation(
        person=person,
        pathway_type="professionnel",
        referent=conseiller.memberships.get(),
        notified_on=today - datetime.timedelta(days=90),
        by=actor(orientation_officer),
    )
    return person


def test_contract_no_show_alert_next_appointment_and_return_to_work(
    page, login, assert_accessible, camille, conseiller
):
    today = timezone.localdate()
    login(conseiller)

    # 1. Build and sign the contract d'engagement.
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Contrat", exact=True).click()
    page.get_by_role("button", name="Préparer le contrat d'engagement").click()
    page.get_by_label("Objectif du référentiel").select_option(label="Répondre à des offres d'emploi")
    page.get_by_role("button", name="Ajouter l'objectif").click()
    page.get_by_text("Objectif ajouté au plan.").wait_for()
    page.get_by_text("Ajouter une action à l'objectif").click()
    page.get_by_label("Action du référentiel").select_option(label="Accompagnement global")
    page.get_by_label("Heures par semaine").fill("16")
    page.get_by_role("button", name="Ajouter l'action").click()
    page.get_by_text("Action ajoutée au plan.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la signature").click()
    page.get_by_text("Contrat d'engagement (version 1) signé").wait_for()
    page.get_by_role("heading", name=re.compile("Version 1 — signé")).wait_for()
    assert_accessible(page)

    # 2. Record yesterday's appointment as a no-show.
    page.get_by_role("link", name="Rendez-vous", exact=True).click()
    yesterday = today - datetime.timedelta(days=1)
    page.get_by_label("Date et heure").fill(f"{yesterday.isoformat()}T10:00")
    page.get_by_role("button", name="Planifier le rendez-vous").click()
    page.get_by_text("Rendez-vous planifié").first.wait_for()
    page.get_by_role("link", name=re.compile("Enregistrer le statut")).click()
    page.get_by_label("Absence non excusée").check(force=True)
    page.get_by_role("button", name="Enregistrer le statut").click()
    page.get_by_text("Rendez-vous : absence non excusée.").wait_for()
    assert_accessible(page)

    # 3. The point de situation shows the alert; plan the next appointment from the row (htmx).
    page.get_by_role("link", name="Point de situation", exact=True).first.click()
    page.get_by_role("heading", name="Point de situation", level=1).wait_for()
    row = page.locator("tr", has_text=camille.first_names).first
    assert "Pas de rendez-vous honoré" in row.text_content()
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("Planifier le prochain rendez-vous")).click()
    tomorrow = today + datetime.timedelta(days=1)
    page.get_by_text("Prochain rendez-vous de").wait_for()
    page.get_by_label("Date et heure").fill(f"{tomorrow.isoformat()}T09:30")
    page.get_by_role("button", name="Planifier le rendez-vous").click()
    page.get_by_text("Rendez-vous planifié le").wait_for()
    assert page.url.endswith("/parcours/point-de-situation/")  # stayed on the page: htmx swap
    assert_accessible(page)

    # 4. Record a return to work and its first checkpoint.
    page.goto(f"/parcours/personne/{camille.public_id}/parcours/")
    page.get_by_role("link", name="Enregistrer une reprise d'emploi").click()
    page.get_by_label("Employeur", exact=True).fill("Boulangerie Martin")
    page.get_by_role("textbox", name=re.compile("SIRET de l'employeur")).fill("732 829 320 00074")
    page.get_by_label("Métier (ROME)").fill("K1302")
    page.get_by_label("Type de contrat").select_option("cdd_6_mois_plus")
    page.get_by_label("Temps plein").check(force=True)
    page.get_by_label("Date de début", exact=True).fill((today - datetime.timedelta(days=40)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la reprise d'emploi").click()
    page.get_by_text("Reprise d'emploi enregistrée (emploi durable)").wait_for()
    page.get_by_role("link", name="Enregistrer le point à M+1").click()
    page.get_by_label("Contact établi").check(force=True)
    page.get_by_label("Oui", exact=True).check(force=True)
    page.get_by_role("button", name="Enregistrer le point").click()
    page.get_by_text("Point de suivi à M+1 enregistré.").wait_for()
    page.get_by_role("link", name="Enregistrer le point à M+3").wait_for()
    assert_accessible(page)
    assert page.console_errors == []
