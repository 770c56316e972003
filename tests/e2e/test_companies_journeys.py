"""Add a company, propose an immersion, sign it as the person and as the company through their
links, validate, start and assess it with a hire — in Chromium, axe-core clean."""

import re

from django.core import mail
from django.utils import timezone

from spie.companies.models import Company, Immersion
from tests.accounts.factories import next_valid_siret
from tests.companies.conftest import jobs, lille  # noqa: F401
from tests.companies.factories import set_project
from tests.people.conftest import camille, former_member  # noqa: F401

LINK = re.compile(r"https?://\S+/entreprises/lien/([^/\s]+)/")


def _last_link():
    return LINK.search(mail.outbox[-1].body).group(1)


def test_company_immersion_signatures_validation_and_assessment_with_a_hire(
    page,
    login,
    browser,
    live_server,
    conseiller,
    camille,  # noqa: F811
    jobs,  # noqa: F811
    lille,  # noqa: F811
    assert_accessible,
):
    camille.commune = lille
    camille.save()
    set_project(camille, ["J1501"], radius_km=20)
    login(conseiller)

    # Add the company, its tutor and the job it hosts.
    page.get_by_role("link", name="Entreprises").first.click()
    page.get_by_text("Aucune entreprise : ajoutez les entreprises").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter une entreprise").click()
    siret = next_valid_siret()
    page.get_by_label("SIRET").fill("123")
    page.get_by_label("Raison sociale ou enseigne").fill("EHPAD Les Tilleuls")
    page.get_by_label("Commune", exact=True).fill("59350")
    page.get_by_role("button", name="Enregistrer l'entreprise").click()
    page.get_by_text("Le SIRET doit comporter exactement 14 chiffres.").wait_for()
    assert_accessible(page)
    page.get_by_label("SIRET").fill(siret)
    page.get_by_role("button", name="Enregistrer l'entreprise").click()
    page.get_by_role("heading", name="EHPAD Les Tilleuls").wait_for()
    assert_accessible(page)
    company = Company.objects.get(siret=siret)

    page.get_by_role("link", name="Ajouter un contact").click()
    page.get_by_label("Prénom").fill("Sophie")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("E-mail").fill("sophie.lambert@ehpad.fr")
    page.get_by_role("button", name="Ajouter le contact").click()
    page.get_by_text("Contact ajouté.").wait_for()
    page.get_by_role("link", name="Ajouter un métier").click()
    page.get_by_label("Métier (ROME)").fill("J1501")
    page.get_by_role("button", name="Enregistrer le métier").click()
    page.get_by_role("cell", name=re.compile("J1501 — Soins")).wait_for()

    # Propose the immersion from the person's file, where the company now shows as nearby.
    page.goto(f"/entreprises/personnes/{camille.public_id}/entreprises/")
    page.get_by_role("link", name=re.compile("Proposer une immersion chez EHPAD Les Tilleuls")).click()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Tuteur ou tutrice").select_option(label="Sophie LAMBERT — sophie.lambert@ehpad.fr")
    page.get_by_label("Activités confiées").fill("Aide aux soins d'hygiène et de confort des résidents.")
    page.get_by_label("Date de début").fill(today.isoformat())
    page.get_by_label("Date de fin").fill((today + timezone.timedelta(days=11)).isoformat())
    page.get_by_label("Durée hebdomadaire (heures)").fill("40")
    page.get_by_label("Horaires").fill("Du lundi au jeudi, 8 h – 15 h")
    page.get_by_label("Adresse du lieu d'immersion").fill("3 rue des Arts")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("La durée hebdomadaire ne peut pas dépasser 35 heures.").first.wait_for()
    page.get_by_label("Durée hebdomadaire (heures)").fill("28")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Immersion enregistrée en brouillon").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Soumettre aux signatures").click()
    page.get_by_text("la personne a reçu son lien de signature").wait_for()
    immersion = Immersion.objects.get()

    # The person signs through their link, without an account.
    person_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    person_page.goto(f"/entreprises/lien/{_last_link()}/")
    person_page.get_by_role("heading", name="Convention d'immersion à signer").wait_for()
    assert_accessible(person_page)
    person_page.get_by_label("J'ai lu la convention et j'accepte").check(force=True)
    person_page.get_by_role("button", name="Signer la convention").click()
    person_page.get_by_text("Vous avez signé votre convention").wait_for()
    assert_accessible(person_page)

    # The tutor signs for the company through theirs.
    tutor_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    tutor_page.goto(f"/entreprises/lien/{_last_link()}/")
    tutor_page.get_by_text("en tant que tuteur ou tutrice").wait_for()
    tutor_page.get_by_label("Prénom et nom du signataire").fill("Sophie Lambert")
    tutor_page.get_by_label("J'ai lu la convention et l'entreprise s'engage").check(force=True)
    tutor_page.get_by_role("button", name="Signer la convention").click()
    tutor_page.get_by_text("La convention est signée pour l'entreprise").wait_for()
    tutor_page.reload()
    tutor_page.get_by_text("Ce lien a déjà été utilisé").wait_for()

    # The prescriber validates, records the start, then the assessment with a hire.
    page.goto(f"/entreprises/immersions/{immersion.public_id}/")
    page.get_by_role("button", name="Valider la convention").click()
    page.get_by_text("Convention validée").wait_for()
    page.get_by_role("button", name="Enregistrer le début").click()
    page.get_by_text("Début de l'immersion enregistré.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Faire le bilan").click()
    page.get_by_text("Réalisée en totalité").click()
    page.get_by_label("Compétences observées").fill("Ponctualité, douceur avec les résidents.")
    page.get_by_label("L'immersion débouche sur une embauche").check(force=True)
    page.get_by_label("Type de contrat").select_option("cdi")
    page.get_by_label("Début du contrat").fill((today + timezone.timedelta(days=20)).isoformat())
    page.get_by_label("La personne approuve ce bilan").check(force=True)
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le bilan et terminer l'immersion").click()
    page.get_by_text("l'embauche est transmise au suivi dans l'emploi").wait_for()
    page.get_by_text(re.compile("CDI à partir du")).wait_for()
    assert_accessible(page)

    immersion.refresh_from_db()
    assert immersion.status == "completed" and immersion.assessment.hired
    assert company.immersions.count() == 1
