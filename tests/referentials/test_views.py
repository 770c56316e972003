import pytest
from django.urls import reverse

PAGES = [
    ("referentials:index", {}),
    ("referentials:communes", {}),
    ("referentials:communes", {"q": "lille"}),
    ("referentials:commune_suggestions", {"q": "lil"}),
    ("referentials:rome", {}),
    ("referentials:rome", {"q": "plombier"}),
    ("referentials:rome_suggestions", {"q": "plomb"}),
    ("referentials:naf", {}),
    ("referentials:pathway", {}),
    ("referentials:vocabularies", {}),
]


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, db, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize(("name", "params"), PAGES)
@pytest.mark.parametrize("persona", ["conseiller", "other_territory", "admin_national"], indirect=True)
def test_every_professional_may_browse(client_as, persona, referentials, name, params):
    response = client_as(persona).get(reverse(name), params)
    assert response.status_code == 200
    assert b"style=" not in response.content  # the CSP forbids inline styles


def _page(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def _communes(client, q, **params):
    return [c.insee_code for c in _page(client, "referentials:communes", q=q, **params).context["page_obj"]]


def test_commune_search_ignores_accents_case_and_hyphens(client_as, conseiller, referentials):
    client = client_as(conseiller)
    assert _communes(client, "saint etienne") == ["42218"]
    assert _communes(client, "SAINT-ÉTIENNE") == ["42218"]
    assert _communes(client, "villeneuve d’ascq") == ["59009"]
    assert _communes(client, "saint") == ["59527", "42218"]  # ordered by name
    assert _communes(client, "Marseille") == []


def test_commune_search_by_postal_code_prefix_and_insee_code(client_as, conseiller, referentials):
    client = client_as(conseiller)
    assert _communes(client, "598") == ["59350"]
    assert _communes(client, "5935") == ["59527"]
    # 59350 is Lille's INSEE code and Saint-André-lez-Lille's postal code.
    assert sorted(_communes(client, "59350")) == ["59350", "59527"]
    assert _communes(client, "Lille (59000) — 59350") == ["59350"]  # a picked suggestion
    assert _communes(client, "", departement="2A") == ["2A004"]


def test_commune_empty_state_says_what_to_do(client_as, conseiller, referentials):
    response = _page(client_as(conseiller), "referentials:communes", q="Trifouilly")
    assert "Aucune commune ne correspond à « Trifouilly »" in response.content.decode()
    assert "code postal à 5 chiffres" in response.content.decode()


def test_communes_sort_and_csv(client_as, conseiller, referentials):
    client = client_as(conseiller)
    ordered = _page(client, "referentials:communes", tri="-population").context["page_obj"]
    assert [c.name for c in ordered][:2] == ["Lille", "Saint-Étienne"]
    response = client.get(reverse("referentials:communes"), {"q": "lille", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffCode INSEE;Nom;Codes postaux")
    assert lines[1].startswith("59350;Lille;59000, 59160, 59260, 59777, 59800;59;Nord;200093201;")
    assert len(lines) == 2


def test_search_pages_use_the_autocomplete_widget(client_as, conseiller, referentials):
    client = client_as(conseiller)
    for name, url in (("communes", "/referentiels/communes/suggestions/"), ("rome", "/referentiels/rome/")):
        html = _page(client, f"referentials:{name}").content.decode()
        assert 'list="id_q-suggestions"' in html
        assert '<datalist id="id_q-suggestions"></datalist>' in html
        assert f'hx-get="{url}' in html
        assert 'hx-trigger="input changed delay:250ms"' in html
        assert 'hx-target="#id_q-suggestions"' in html


def test_commune_suggestions(client_as, conseiller, referentials):
    client = client_as(conseiller)
    html = _page(client, "referentials:commune_suggestions", champ="commune", commune="lil").content.decode()
    assert html.strip() == '<option value="Lille (59000) — 59350"></option>'
    # The postal code being typed is the one shown, so that the browser keeps the option.
    html = _page(client, "referentials:commune_suggestions", q="5980").content.decode()
    assert '<option value="Lille (59800) — 59350"></option>' in html
    html = _page(client, "referentials:commune_suggestions", q="st").content.decode()
    assert html.strip() == ""  # "st" is no commune's beginning once normalised
    assert _page(client, "referentials:commune_suggestions", q="l").content.strip() == b""


def test_rome_search_and_suggestions(client_as, conseiller, referentials):
    client = client_as(conseiller)

    def codes(**params):
        return [job.code for job in _page(client, "referentials:rome", **params).context["page_obj"]]

    assert codes(q="k13") == ["K1302", "K1311"]
    assert codes(q="aide aux personnes agees") == ["K1302"]  # through a job title
    assert codes(q="SECRETAIRE") == ["M1607"]
    assert codes(q="Secrétaire — M1607") == ["M1607"]
    assert codes(domaine="F") == ["F1603"]
    html = _page(client, "referentials:rome_suggestions", q="plombi").content.decode()
    assert '<option value="Plombier / Plombière sanitaire — F1603"></option>' in html
    html = _page(client, "referentials:rome_suggestions", q="electricien").content.decode()
    assert '<option value="Électricien plombier / Électricienne plombière — F1603"></option>' in html


def test_rome_detail(client_as, conseiller, referentials):
    client = client_as(conseiller)
    html = client.get(reverse("referentials:rome_detail", args=["k1302"])).content.decode()
    assert "Aide aux personnes âgées" in html
    assert "Division NAF 88 — Action sociale sans hébergement" in html
    assert client.get(reverse("referentials:rome_detail", args=["Z9999"])).status_code == 404


def test_naf_search(client_as, conseiller, referentials):
    client = client_as(conseiller)

    def codes(**params):
        return [a.code for a in _page(client, "referentials:naf", **params).context["page_obj"]]

    assert codes(q="8899b") == ["88.99B"]
    assert codes(q="88.99") == ["88.99B"]
    assert codes(q="RESTAURATION") == ["56.10A"]
    assert codes(section="F") == ["43.22A"]
    response = client.get(reverse("referentials:naf"), {"format": "csv"})
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 4


def test_pathway_page_shows_the_current_version_and_filters_by_theme(client_as, conseiller, referentials):
    client = client_as(conseiller)
    html = _page(client, "referentials:pathway").content.decode()
    assert "Référentiel du parcours d&#x27;insertion, état 2024" in html
    assert "Hébergé chez un tiers" in html and "Accompagnement global" in html
    html = _page(client, "referentials:pathway", theme="emploi").content.decode()
    assert "Accompagnement global" in html and "Hébergé chez un tiers" not in html
    html = _page(client, "referentials:pathway", theme="inconnu").content.decode()
    assert "Aucun thème ne correspond à ce filtre" in html
    assert client.get(reverse("referentials:pathway"), {"version": "1999"}).status_code == 404


def test_pathway_page_without_any_version_says_what_to_do(client_as, conseiller):
    html = _page(client_as(conseiller), "referentials:pathway").content.decode()
    assert "manage.py load_referentials" in html


def test_vocabularies_page_has_one_tab_per_vocabulary(client_as, conseiller, referentials):
    html = _page(client_as(conseiller), "referentials:vocabularies").content.decode()
    assert html.count('role="tab"') == 9
    assert "S&#x27;ouvrir à l&#x27;international" in html
    assert "Financer ma mobilité" in html


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("referentials:communes", {}),
        ("referentials:communes", {"q": "59"}),
        ("referentials:rome", {"q": "assistant"}),
        ("referentials:naf", {}),
        ("referentials:pathway", {}),
        ("referentials:vocabularies", {}),
        ("referentials:rome_suggestions", {"q": "plombier"}),
    ],
)
def test_list_pages_run_a_bounded_number_of_queries(
    client_as, conseiller, referentials, django_assert_max_num_queries, name, params
):
    client = client_as(conseiller)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name), params).status_code == 200
