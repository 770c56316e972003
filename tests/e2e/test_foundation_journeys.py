from tests.territories.factories import CommuneFactory


def test_search_a_commune_with_the_autocomplete(page, login, conseiller, nord, assert_accessible):
    CommuneFactory(
        insee_code="59009",
        name="Villeneuve-d'Ascq",
        departement=nord.departements.get(),
        postal_codes="59491|59650",
        population=62000,
    )
    login(conseiller)
    page.get_by_role("link", name="Référentiels").first.click()
    assert_accessible(page)
    page.goto("/referentiels/communes/")
    search = page.get_by_role("combobox").first
    search.press_sequentially("villeneuve d", delay=40)
    page.locator('datalist option[value^="Villeneuve-d\'Ascq"]').first.wait_for(state="attached")
    search.press("Enter")
    page.get_by_role("cell", name="Villeneuve-d'Ascq").wait_for()
    assert page.get_by_role("cell", name="Lille").count() == 0
    assert_accessible(page)


def test_national_admin_territory_pages_are_accessible(page, login, admin_national, nord, ardennes, assert_accessible):
    login(admin_national)
    page.get_by_role("link", name="Territoires").first.click()
    page.get_by_role("link", name="Nord").first.wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Nord").first.click()
    page.get_by_role("heading", name="Nord").first.wait_for()
    assert_accessible(page)


def test_structure_page_of_a_manager_is_accessible(page, login, gestionnaire, conseiller, assert_accessible):
    login(gestionnaire)
    page.get_by_role("link", name="Ma structure").first.click()
    page.get_by_role("cell", name=conseiller.email).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Jetons d'API").click()
    page.get_by_label("Nom du jeton").fill("Logiciel du Département")
    page.get_by_role("button", name="Créer un jeton").click()
    page.get_by_text("Copiez-le maintenant").wait_for()
    assert_accessible(page)
