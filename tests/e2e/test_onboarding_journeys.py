"""A coordinator takes a territory live: structures, professionals, checklist; a professional joins."""

import re

from django.core import mail
from django.core.management import call_command

from spie.accounts.models import Invitation, Membership
from spie.core.validators import siret_with_key


def _csv(name, text):
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def test_coordinator_imports_and_a_professional_joins(
    page, login, coordinator, nord, browser, live_server, assert_accessible
):
    siret_ml, siret_plie = siret_with_key("7200000000001"), siret_with_key("7200000000002")
    login(coordinator)
    page.get_by_role("link", name="Mise en service").first.click()
    page.get_by_role("heading", name="Mise en service du territoire Nord").wait_for()
    assert page.get_by_text("1 étape faite sur 7").is_visible()  # the coordinator's own structure is staffed
    assert_accessible(page)

    # Structures: preview first, then confirm.
    page.get_by_role("link", name="Importer les structures").click()
    assert_accessible(page)
    page.get_by_label("Fichier CSV").set_input_files(
        _csv(
            "structures.csv",
            "SIRET;Nom;Type;Code postal;Commune\n"
            f"{siret_ml};Mission locale de Lille;Mission locale;59000;Lille\n"
            f"{siret_plie};PLIE de Lille;PLIE;59000;Lille\n",
        )
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_text("2 à créer, 0 à mettre à jour, 0 inchangée(s), 0 rejetée(s)").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("Import terminé : 2 structure(s) créée(s)").wait_for()

    # Professionals: one invitation each, sent in the background.
    page.get_by_role("link", name="Importer les professionnels").click()
    page.get_by_label("Fichier CSV").set_input_files(
        _csv(
            "professionnels.csv",
            "email;nom;prenom;siret_structure;role\n"
            f"nadia.benali@ml-lille.fr;Benali;Nadia;{siret_ml};Conseillère\n"
            f"karim.haddad@plie-lille.fr;Haddad;Karim;{siret_plie};Gestionnaire\n",
        )
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_text("2 à créer").wait_for()
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_role("heading", name="Envoi des invitations").wait_for()
    assert_accessible(page)
    call_command("send_queued_invitations")
    page.get_by_text("2 envoyées").wait_for(timeout=15_000)
    assert len(mail.outbox) == 2

    # The checklist has moved on.
    page.get_by_role("link", name="Revenir à la mise en service").click()
    page.get_by_text("2 étapes faites sur 7").wait_for()
    assert page.get_by_role("heading", name="Fait Structures partenaires enregistrées").is_visible()

    # The professional accepts and finds the help of their home page.
    message = next(m for m in mail.outbox if m.to == ["nadia.benali@ml-lille.fr"])
    link = re.search(r"https?://\S+?(/invitation/\S+/)", message.body).group(1)
    guest = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    guest.goto(link)
    guest.get_by_label(re.compile(r"^\s*Mot de passe")).fill("Un-secret-bien-long-2026")
    guest.get_by_label("Confirmation du mot de passe").fill("Un-secret-bien-long-2026")
    guest.get_by_role("button", name="Accepter l'invitation").click()
    guest.get_by_text("Bienvenue sur la plateforme SPIE, Nadia").wait_for()
    guest.get_by_role("button", name="Comment faire ?").click()
    guest.get_by_text("Cette page d'accueil rassemble vos accès.").wait_for()
    assert_accessible(guest)
    guest.get_by_role("link", name="Lire le guide de votre premier jour").click()
    guest.get_by_role("heading", name="Conseiller·ère : mon premier jour").wait_for()
    assert_accessible(guest)
    assert Membership.objects.get(user__email="nadia.benali@ml-lille.fr").organisation.siret == siret_ml
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 1
    assert page.console_errors == []


def test_orientation_officer_assigns_a_referent_to_several_people(
    page, login, orientation_officer, conseiller, nord, assert_accessible
):
    from tests.people.factories import PersonFactory

    for index in range(3):
        PersonFactory(territory=nord, birth_name=f"Attente{index}", first_names="Sam")
    login(orientation_officer)
    page.goto("/personnes/attribution/")
    page.get_by_text("Personnes sans référent·e (3)").wait_for()
    assert_accessible(page)
    page.get_by_label("Nouveau ou nouvelle référent·e").select_option(
        label=f"{conseiller.get_full_name()} — France Travail Lille (Conseiller·ère)"
    )
    page.get_by_role("button", name="Attribuer aux personnes cochées").click()
    page.get_by_text("est désormais référent·e de 3 personne(s)").wait_for()
    assert len(mail.outbox) == 1
