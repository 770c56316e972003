from spie.people.models import Person


def _fill_identity(page, *, birth_name, first_names, birth_date):
    page.get_by_label("Nom de naissance").fill(birth_name)
    page.get_by_label("Prénoms").fill(first_names)
    page.get_by_label("Date de naissance").fill(birth_date)
    page.get_by_label("Date d'entrée (T0)").fill("2026-11-02")


def test_create_duplicate_join_approve_and_access_log(
    page, login, browser, live_server, conseiller, other_structure, assert_accessible
):
    login(conseiller)
    page.get_by_role("link", name="Personnes suivies").first.click()
    page.get_by_text("Aucune personne suivie : importez un fichier ou créez un dossier").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Nouveau dossier").click()
    _fill_identity(page, birth_name="Benali", first_names="Nadia", birth_date="1993-07-21")
    page.get_by_label("La personne accepte que les structures").check(force=True)
    page.get_by_role("button", name="Vérifier et créer le dossier").click()
    page.get_by_role("heading", name="BENALI Nadia").wait_for()
    assert_accessible(page)
    person = Person.objects.get(birth_name="Benali")

    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto("/connexion/")
    other.get_by_label("Adresse e-mail", exact=True).fill(other_structure.email)
    other.get_by_label("Mot de passe", exact=True).fill("mot-de-passe-solide-2026")
    other.get_by_role("button", name="Se connecter").click()
    other.goto("/personnes/nouveau/")
    _fill_identity(other, birth_name="BENALI", first_names="nadia", birth_date="1993-07-21")
    other.get_by_role("button", name="Vérifier et créer le dossier").click()
    other.get_by_text("Un dossier existe déjà").wait_for()
    assert Person.objects.count() == 1
    other.get_by_role("link", name="voir qui la suit et demander à rejoindre l'équipe").click()
    other.get_by_label("Pourquoi souhaitez-vous rejoindre l'équipe de suivi ?").fill("Accompagnement social")
    other.get_by_role("button", name="Demander à rejoindre l'équipe").click()
    other.get_by_text("Demande envoyée").wait_for()

    page.goto(f"/personnes/{person.public_id}/equipe/")
    page.get_by_role("button", name="Accepter la demande de").click()
    page.get_by_text("a rejoint l'équipe de suivi").wait_for()
    assert_accessible(page)

    other.goto(f"/personnes/{person.public_id}/")
    other.get_by_role("heading", name="BENALI Nadia").wait_for()

    page.get_by_role("link", name="Accès").click()
    page.get_by_role("cell", name=other_structure.get_full_name()).first.wait_for()
    assert_accessible(page)
    page.goto("/personnes/")
    page.get_by_role("link", name="BENALI Nadia").wait_for()
    assert_accessible(page)
