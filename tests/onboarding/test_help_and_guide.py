"""In-page help by view name, and the user guide rendered from docs/guide/."""

import html

import pytest
from django.urls import reverse

from spie.onboarding.guide import guide_page, page_slugs, render_markdown
from spie.onboarding.help import HelpText, help_for, help_registry
from tests.people.factories import PersonFactory, seat


@pytest.mark.parametrize(
    "view_name",
    [
        "accounts:home",
        "accounts:organisation_detail",
        "people:caseload",
        "people:detail",
        "people:import",
        "territories:list",
        "territories:detail",
        "referentials:index",
        "onboarding:checklist",
    ],
)
def test_every_main_page_has_a_help_text(view_name):
    assert help_for(view_name) is not None


def test_help_text_is_escaped_and_structured():
    rendered = str(HelpText("x", "Un <b>paragraphe</b>.\n\n- étape 1\n- étape 2").as_html())
    assert rendered == "<p>Un &lt;b&gt;paragraphe&lt;/b&gt;.</p><ul><li>étape 1</li><li>étape 2</li></ul>"


def test_an_apps_own_text_wins_over_the_default():
    assert help_registry()["accounts:home"].startswith("Cette page d'accueil")


@pytest.mark.parametrize(
    ("url_name", "args"),
    [("accounts:home", []), ("people:caseload", []), ("territories:detail", ["59"]), ("referentials:index", [])],
)
def test_help_accordion_shows_on_main_pages(client_as, coordinator, nord, url_name, args):
    page = client_as(coordinator).get(reverse(url_name, args=args)).content.decode()
    assert "Comment faire ?" in page
    assert 'aria-controls="aide-de-la-page"' in page
    assert reverse("onboarding:guide_page", args=["premier-jour-coordinateur"]) in page


def test_person_file_has_its_help(client_as, conseiller, nord):
    person = PersonFactory(territory=nord)
    seat(person, conseiller, is_referent=True)
    page = client_as(conseiller).get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "Comment faire ?" in page


def test_pages_without_help_have_no_accordion(client_as, conseiller):
    assert "Comment faire ?" not in client_as(conseiller).get(reverse("accounts:profile")).content.decode()


def test_header_has_the_help_link_even_before_login(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("onboarding:guide")}"' in page


def test_guide_has_a_first_day_page_per_role():
    for slug in (
        "premier-jour-conseiller",
        "premier-jour-gestionnaire",
        "premier-jour-charge-orientation",
        "premier-jour-coordinateur",
        "premier-jour-administrateur",
        "imports",
    ):
        assert slug in page_slugs()
        assert guide_page(slug).title


def test_guide_pages_are_public_and_rendered(client):
    index = html.unescape(client.get(reverse("onboarding:guide")).content.decode())
    assert "Coordinateur·rice SPIE : mettre un territoire en service en une journée" in index
    page = client.get(reverse("onboarding:guide_page", args=["premier-jour-coordinateur"])).content.decode()
    assert "<h2>Le matin : délais, structures, professionnels</h2>" in html.unescape(page)
    assert f'href="{reverse("onboarding:guide_page", args=["imports"])}"' in page
    imports = client.get(reverse("onboarding:guide_page", args=["imports"])).content.decode()
    assert "<caption>Colonnes du fichier — Structures</caption>" in imports
    assert client.get(reverse("onboarding:guide_page", args=["inconnue"])).status_code == 404


def test_example_files_are_downloadable(client):
    response = client.get(reverse("onboarding:example", args=["structures.csv"]))
    assert response.status_code == 200
    assert b"siret;nom;type" in b"".join(response.streaming_content)
    assert client.get(reverse("onboarding:example", args=["inconnu.csv"])).status_code == 404


def test_markdown_never_lets_raw_html_or_scripts_through():
    rendered = render_markdown('<script>alert(1)</script>\n\n[lien](javascript:alert(1)) ![i](x.png) <a href="x">y</a>')
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "javascript:" not in rendered.replace("&lt;", "")
    assert "<img" not in rendered
    assert '<a href="x">' not in rendered


def test_empty_states_say_what_to_do_next(client_as, conseiller, coordinator, nord):
    page = html.unescape(client_as(conseiller).get(reverse("people:caseload")).content.decode())
    assert "Aucune personne suivie : importez un fichier ou créez un dossier." in page
    page = html.unescape(client_as(coordinator).get(reverse("accounts:invitations")).content.decode())
    assert "Aucune invitation : importez le fichier des professionnels" in page
