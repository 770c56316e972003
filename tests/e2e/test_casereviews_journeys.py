"""Case reviews in Chromium: the referent refers a case from a status review and approves its
pseudonymised presentation; the coordinator puts it on the agenda, holds the session, records the
opinion and an action that concerns the plan; the referent sees it in the person's contract plan —
axe-core clean."""

import datetime
import re

import pytest
from django.utils import timezone

from spie.pathways import services_orientation
from spie.referentials.loaders import DEFAULT_DATA_DIR, load_pathway_referential
from tests.casereviews.helpers import make_body, planned
from tests.conftest import PASSWORD
from tests.diagnostics.helpers import actor
from tests.people.factories import PersonFactory, seat


@pytest.fixture
def camille(nord, conseiller, other_structure, orientation_officer):
    load_pathway_referential(DEFAULT_DATA_DIR)
    today = timezone.localdate()
    person = PersonFactory(territory=nord, entry_date=today - datetime.timedelta(days=120))
    seat(person, conseiller, is_referent=True)
    seat(person, other_structure)
    services_orientation.decide_orientation(
        person=person,
        pathway_type="professionnel",
        referent=conseiller.memberships.get(),
        notified_on=today - datetime.timedelta(days=60),
        by=actor(orientation_officer),
    )
    return person


def _log_in(page, user):
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail", exact=True).fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_refer_hold_decide_and_see_the_action_in_the_plan(
    page, login, browser, live_server, assert_accessible, camille, conseiller, coordinator, other_structure, ft_lille
):
    body = make_body(camille.territory, coordinator, colleague=other_structure)
    planned(body, coordinator)
    login(conseiller)

    # 1. The referent concludes a status review with « to a case review » and refers the case.
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Parcours", exact=True).click()
    page.get_by_role("link", name="Faire le point de situation").click()
    page.get_by_text("Présentation en équipe pluridisciplinaire", exact=True).click()
    page.get_by_label("Commentaire").fill("Freins multiples, besoin d'un regard croisé.")
    page.get_by_role("button", name="Enregistrer le point de situation").click()
    page.get_by_role("heading", name="Présenter la situation en instance").wait_for()
    assert_accessible(page)
    page.get_by_text("Groupe d'appui (comité de suivi des parcours)", exact=True).click()
    page.get_by_label("Question posée à l'instance").fill("Quelles solutions pour la mobilité ?")
    page.get_by_text("La personne est d'accord pour que sa situation soit présentée").click()
    page.get_by_label("Résumé de la situation pour les membres").fill("Recherche active, sans moyen de transport.")
    page.get_by_role("button", name="Proposer la situation").click()
    page.get_by_role("heading", name="Présentation pseudonymisée de la situation").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer et valider la présentation").click()
    page.get_by_text("Présentation validée.").wait_for()

    # 2. The coordinator puts it on the agenda, publishes it, records attendance, holds the session.
    other = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    _log_in(other, coordinator)
    other.goto("/instances/a-inscrire/")
    other.get_by_role("cell", name="Groupe d'appui (comité de suivi des parcours)").wait_for()
    assert_accessible(other)
    other.goto("/instances/situations-reperees/")
    assert_accessible(other)
    other.goto("/instances/")
    other.get_by_role("link", name="Groupe d'appui de Lille").click()
    other.get_by_role("link", name=re.compile("^Séance du")).click()
    other.get_by_label("Situation à inscrire").select_option(index=1)
    other.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    other.get_by_text("Situation inscrite à l'ordre du jour.").wait_for()
    other.get_by_role("button", name="Publier l'ordre du jour").click()
    other.get_by_text("Ordre du jour publié").first.wait_for()
    assert_accessible(other)
    for select in other.locator("form[action$='/presences/'] select").all():
        select.select_option("present")
    other.get_by_role("button", name="Enregistrer les présences").click()
    other.get_by_text("Présences enregistrées.").wait_for()
    other.get_by_role("button", name="Tenir la séance").click()
    other.get_by_text("Séance tenue : saisissez l'examen de chaque situation.").wait_for()

    # 3. The case: opinion, then an action that goes into the contract plan.
    other.get_by_role("link", name="Situation 1").click()
    other.get_by_label("Avis de l'instance").fill("L'instance recommande une aide au permis de conduire.")
    other.get_by_role("button", name="Enregistrer l'examen").click()
    other.get_by_text("Examen de la situation enregistré.").wait_for()
    other.get_by_label("Action décidée").fill("Monter le dossier d'aide au permis")
    other.get_by_label("Structure chargée de l'action").select_option(label=ft_lille.name)
    due = timezone.localdate() + datetime.timedelta(days=30)
    other.get_by_label("Échéance").fill(due.isoformat())
    other.get_by_label("Objectif du contrat (si l'action entre dans le plan)").select_option(
        label="Répondre à des offres d'emploi"
    )
    other.get_by_label("Action du référentiel à ajouter au plan").select_option(label="Accompagnement global")
    other.get_by_role("button", name="Enregistrer l'action").click()
    other.get_by_text("Action enregistrée.").wait_for()
    other.get_by_role("cell", name="Dans le plan d'action").wait_for()
    assert_accessible(other)

    # 4. The referent sees the action in the person's plan and the case in the file.
    page.goto(f"/personnes/{camille.public_id}/")
    page.get_by_role("link", name="Contrat", exact=True).click()
    page.get_by_text("Accompagnement global").first.wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Instances", exact=True).click()
    page.get_by_text("Monter le dossier d'aide au permis").wait_for()
    assert_accessible(page)
    assert page.console_errors == []
