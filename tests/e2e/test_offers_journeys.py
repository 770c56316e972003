"""The territory's offer in Chromium: search near a commune, refer a person, accept, see the status."""
# ruff: noqa: F811 — fixtures imported from the offers and people conftests are used as arguments

import pytest

from spie.offers.models import Referral
from tests.conftest import PASSWORD
from tests.offers.conftest import (  # noqa: F401
    email_offer,
    ml_lille,
    places,
    platform_offer,
    receiver,
    vocabularies,
)
from tests.people.conftest import camille, colleague, former_member  # noqa: F401


@pytest.fixture
def camille_in_lille(camille, places):
    camille.commune = places["lille"]
    camille.save()
    return camille


def test_search_refer_accept_and_follow_the_status(
    page, login, browser, live_server, conseiller, receiver, camille_in_lille, platform_offer, assert_accessible
):
    person = camille_in_lille
    login(conseiller)
    page.get_by_role("link", name="Offre d'insertion").first.click()
    page.get_by_role("heading", name="Offre d'insertion").wait_for()
    page.get_by_label("Thématique").select_option("mobilite")
    page.get_by_label("Commune").fill("59350")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Garantie jeunes mobilité").wait_for()
    assert page.get_by_role("cell", name="0,0 km").or_(page.get_by_role("cell", name="0.0 km")).count() == 1
    assert_accessible(page)

    page.goto(f"/offre/personne/{person.public_id}/suggestions/")
    page.get_by_label("Mobilité").check(force=True)
    page.get_by_role("button", name="Voir les services").click()
    page.get_by_role("link", name="Orienter vers ce service : Garantie jeunes mobilité").click()
    assert_accessible(page)
    page.get_by_label("Message au service").fill(
        "Camille souhaite passer son permis B pour un poste d'aide à domicile."
    )
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.get_by_text("Orientation envoyée à « Mission locale de Lille »").wait_for()
    page.get_by_role("cell", name="Envoyée").wait_for()
    assert_accessible(page)

    other = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    other.goto("/connexion/")
    other.get_by_label("Adresse e-mail", exact=True).fill(receiver.email)
    other.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    other.get_by_role("button", name="Se connecter").click()
    other.wait_for_url("**/")
    other.goto("/offre/orientations/")
    other.get_by_role("link", name="MARTIN Camille Louise").click()
    other.get_by_text("poste d'aide à domicile").wait_for()
    assert_accessible(other)
    other.get_by_role("button", name="Accepter l'orientation").click()
    other.get_by_text("vous faites maintenant partie de l'équipe de suivi").wait_for()
    assert_accessible(other)

    page.goto(f"/offre/personne/{person.public_id}/orientations/")
    page.get_by_role("cell", name="Acceptée").wait_for()
    assert_accessible(page)
    assert Referral.objects.get().status == "acceptee"
    assert page.console_errors == []
