import re

from django.core import mail

from spie.accounts.enums import Role
from spie.accounts.models import Membership, User


def test_login_home_and_switch_membership(page, login, conseiller, departement_nord, assert_accessible):
    Membership.objects.create(user=conseiller, organisation=departement_nord, role=Role.COORDINATEUR)
    page.goto("/connexion/")
    assert_accessible(page)

    login(conseiller)
    # Alphabetical order: Département du Nord (coordinator) comes first.
    assert page.get_by_text("Vous travaillez pour Département du Nord").is_visible()
    assert_accessible(page)

    page.get_by_label("Structure et rôle en cours").select_option(label="France Travail Lille — Conseiller·ère")
    page.get_by_text("Vous travaillez pour France Travail Lille").wait_for()
    assert page.get_by_text("Vous travaillez maintenant pour").is_visible()
    assert page.console_errors == []


def test_invite_a_professional_who_accepts(
    page, login, gestionnaire, ft_lille, browser, live_server, assert_accessible
):
    login(gestionnaire)
    page.get_by_role("link", name="Ma structure").first.click()
    assert page.get_by_role("heading", name="France Travail Lille").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Inviter un professionnel").click()
    page.get_by_label("Adresse e-mail professionnelle").fill("nouveau.conseiller@ft-lille.fr")
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_role("textbox", name="Nom (Optionnel)", exact=True).fill("Benali")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text("Invitation envoyée à nouveau.conseiller@ft-lille.fr").wait_for()

    link = re.search(r"https?://\S+?(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    guest = browser.new_context(base_url=live_server.url).new_page()
    guest.goto(link)
    assert_accessible(guest)
    guest.get_by_label(re.compile(r"^\s*Mot de passe")).fill("Un-secret-bien-long-2026")
    guest.get_by_label("Confirmation du mot de passe").fill("Un-secret-bien-long-2026")
    guest.get_by_role("button", name="Accepter l'invitation").click()
    guest.get_by_text("Bienvenue sur la plateforme SPIE, Nadia").wait_for()
    user = User.objects.get(email="nouveau.conseiller@ft-lille.fr")
    assert user.memberships.get().organisation == ft_lille
