"""Publish a joint event, register from another structure, record attendance and rate it — in
Chromium, axe-core clean on each page."""

import datetime
import re

from django.utils import timezone

from spie.exchanges.models import EventRegistration, JointEvent
from tests.conftest import PASSWORD
from tests.exchanges.factories import past


def _log_in(page, user):
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail", exact=True).fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_publish_register_record_attendance_and_rate(
    page, login, browser, live_server, gestionnaire, other_structure, assert_accessible
):
    # A structure manager publishes an exchange of practices for the territory.
    login(gestionnaire)
    page.get_by_role("link", name="Temps communs").first.click()
    page.get_by_text("Aucun temps commun.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Publier un temps commun").click()
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page.get_by_label("Type de temps commun").select_option(label="Échange de pratiques")
    page.get_by_label("Thème").fill("Accompagner vers le logement")
    page.get_by_label("Début", exact=True).fill(f"{day}T14:00")
    page.get_by_label("Fin", exact=True).fill(f"{day}T12:00")
    page.get_by_label("Lieu").fill("France Travail Lille, salle 3")
    page.get_by_label("Nombre de places").fill("8")
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Dates incohérentes : la fin doit suivre le début.").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Fin", exact=True).fill(f"{day}T16:30")
    page.get_by_role("button", name="Publier").click()
    page.get_by_role("heading", name="Accompagner vers le logement").wait_for()
    page.get_by_text("8 restantes").wait_for()
    assert_accessible(page)
    event = JointEvent.objects.get()

    # A counsellor of the Département registers from the territory's calendar.
    other = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    _log_in(other, other_structure)
    other.goto("/temps-communs/")
    other.get_by_role("cell", name="France Travail Lille", exact=True).wait_for()
    assert_accessible(other)
    other.get_by_role("link", name="Accompagner vers le logement").click()
    other.get_by_role("button", name="M'inscrire").click()
    other.get_by_text("Vous êtes inscrit·e.").first.wait_for()
    other.get_by_text("7 restantes").wait_for()
    assert_accessible(other)
    other.goto("/temps-communs/mes-inscriptions/")
    other.get_by_role("cell", name="Inscrit·e", exact=True).wait_for()
    assert_accessible(other)

    # The event takes place; the organiser records attendance.
    past(event)
    page.goto(f"/temps-communs/{event.public_id}/participants/")
    name = other_structure.get_full_name()
    page.get_by_role("cell", name=re.compile("Département du Nord")).wait_for()
    assert_accessible(page)
    registration = EventRegistration.objects.get()
    page.locator(f"label[for='present-{registration.public_id}']").click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_text("Présences enregistrées : 1 présent·e, 1 structure représentée.").wait_for()
    assert page.get_by_label(f"Présent·e : {name}").is_checked()
    assert_accessible(page)

    # The attendee rates it; the event shows the structures represented and the rating.
    other.goto(f"/temps-communs/{event.public_id}/")
    other.get_by_role("link", name="Évaluer ce temps commun").click()
    other.get_by_text("5 — Excellent").click()
    other.get_by_label("Commentaire (facultatif)").fill("Des pistes concrètes avec le CCAS.")
    assert_accessible(other)
    other.get_by_role("button", name="Enregistrer mon évaluation").click()
    other.get_by_text("Merci : votre évaluation est enregistrée.").wait_for()
    other.get_by_text("1 structure représentée").wait_for()
    other.get_by_text("5,0 / 5 (1 avis)").wait_for()
    assert_accessible(other)
    assert page.console_errors == []
