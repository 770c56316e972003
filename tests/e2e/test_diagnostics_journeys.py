"""A joint diagnostic by two professionals of two structures, its validation and proposed orientation,
then the orientation officer's decision and the referent's e-mail — in Chromium, axe-core clean."""

import re

import pytest
from django.core import mail

from spie.referentials.loaders import DEFAULT_DATA_DIR, load_pathway_referential
from tests.people.factories import PersonFactory, seat


@pytest.fixture
def camille(nord, conseiller, other_structure):
    """Camille, followed in Nord by France Travail (referent) and the Département; the national
    pathway referential loaded."""
    load_pathway_referential(DEFAULT_DATA_DIR)
    person = PersonFactory(territory=nord)
    seat(person, conseiller, is_referent=True, sensitive=True)
    seat(person, other_structure)
    return person


def _switch_to(page, login, user):
    page.context.clear_cookies()
    login(user)


def test_joint_diagnostic_then_orientation_decision(
    page,
    login,
    assert_accessible,
    camille,
    conseiller,
    other_structure,
    orientation_officer,
):
    # 1. The referent (France Travail) starts the diagnostic as the social half of the pair.
    login(conseiller)
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Diagnostic", exact=True).click()
    page.get_by_role("link", name="Commencer le diagnostic").click()
    page.get_by_label("Social", exact=True).check(force=True)
    page.get_by_role("button", name="Commencer").click()
    page.get_by_role("heading", name=re.compile("Situation professionnelle")).wait_for()
    assert_accessible(page)

    page.get_by_label("Situation de travail actuelle").select_option("recherche")
    page.get_by_label("Niveau de formation").select_option("NV5")
    page.get_by_text("Brouillon enregistré à").wait_for()  # saved as you go (htmx)
    page.get_by_role("button", name="Enregistrer et passer à la section suivante").click()
    page.get_by_role("heading", name=re.compile("Projet professionnel")).wait_for()
    page.get_by_role("button", name="Enregistrer et passer à la section suivante").click()
    page.get_by_role("heading", name=re.compile("Situation sociale")).wait_for()
    page.get_by_label("Hébergé chez un tiers — niveau").select_option("fort")
    page.get_by_label("Hébergé chez un tiers — commentaire").fill("Chez sa sœur depuis l'été")
    page.get_by_role("button", name="Enregistrer et passer à la section suivante").click()
    page.get_by_role("heading", name=re.compile("Point de vue de la personne")).wait_for()
    assert_accessible(page)

    # 2. The referent invites a professional of the Département as co-author (professional half).
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Diagnostic", exact=True).click()
    page.get_by_role("link", name="Reprendre le brouillon n° 1").click()
    page.get_by_role("link", name="Ajouter un·e co-auteur").click()
    page.get_by_label("Membre de l'équipe de suivi").select_option(
        label=f"{other_structure.get_full_name()} — Département du Nord"
    )
    page.get_by_label("Professionnel", exact=True).check(force=True)
    page.get_by_role("button", name="Ajouter le co-auteur").click()
    page.get_by_text("est co-auteur").wait_for()
    assert_accessible(page)

    # 3. The co-author fills the professional project.
    _switch_to(page, login, other_structure)
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Diagnostic", exact=True).click()
    page.get_by_role("link", name="Reprendre le brouillon n° 1").click()
    page.get_by_role("link", name="Projet professionnel").first.click()
    page.get_by_label("Prêt·e avec un accompagnement").check(force=True)
    page.get_by_label("Rayon de mobilité (en km)").fill("20")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Brouillon enregistré : projet professionnel.").wait_for()

    # 4. The referent validates: frozen, signed by the referent, with the proposed orientation and
    # its reasons; the co-author then signs for themself.
    _switch_to(page, login, conseiller)
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Diagnostic", exact=True).click()
    page.get_by_role("link", name="Reprendre le brouillon n° 1").click()
    page.get_by_role("link", name="Valider le diagnostic").click()
    assert page.get_by_text("Orientation qui sera proposée : parcours socio-professionnel").is_visible()
    assert_accessible(page)
    page.get_by_label("Le diagnostic a été relu avec la personne et ses auteurs l'approuvent").check(force=True)
    page.get_by_role("button", name="Valider et signer").click()
    page.get_by_text("Diagnostic validé et signé").wait_for()
    assert page.get_by_text("Orientation proposée : parcours socio-professionnel").is_visible()
    assert page.get_by_text("Freins périphériques : 1 frein fort.").is_visible()
    assert page.get_by_text(re.compile("signé le")).count() == 1
    assert page.get_by_text("n'a pas signé").is_visible()
    assert_accessible(page)
    detail_url = page.url
    _switch_to(page, login, other_structure)
    page.goto(detail_url)
    page.get_by_role("button", name="Signer ce diagnostic").click()
    page.get_by_text("Vous avez signé ce diagnostic.").wait_for()
    assert page.get_by_text(re.compile("signé le")).count() == 2
    assert page.get_by_text("n'a pas signé").count() == 0

    # 5. The orientation officer decides from the queue; the Département professional becomes referent.
    _switch_to(page, login, orientation_officer)
    page.get_by_role("link", name="File d'orientation").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Décider l'orientation de MARTIN")).click()
    assert page.get_by_label("Socio-professionnel").is_checked()
    page.get_by_label("Structure référente").select_option(label="Département du Nord (0)")
    referent = page.get_by_label("Professionnel·le référent·e")
    referent.locator("option", has_text=other_structure.get_full_name()).wait_for(state="attached")
    referent.select_option(label=f"{other_structure.get_full_name()} (0)")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Orientation enregistrée : parcours socio-professionnel").wait_for()
    assert page.get_by_text(f"Référent·e : {other_structure.get_full_name()}").first.is_visible()
    assert_accessible(page)

    # 6. The referent is notified by e-mail.
    message = next(message for message in mail.outbox if message.to == [other_structure.email])
    assert "référent·e d'une personne" in message.body and "parcours socio-professionnel" in message.body
    assert page.console_errors == []
