import json

from django.urls import reverse

from spie.people.models import AccessLog, JoinRequest, Person
from tests.people.factories import PersonFactory, seat, valid_nir


def test_caseload_lists_filters_sorts_and_exports(client_as, camille, conseiller, nord):
    zoe = PersonFactory(territory=nord, birth_name="Zola", first_names="Zoé", consent_given=False)
    seat(zoe, conseiller, is_referent=True)
    PersonFactory(territory=nord, birth_name="Ailleurs", first_names="Anne")  # not followed
    client = client_as(conseiller)
    page = client.get(reverse("people:caseload")).content.decode()
    assert "MARTIN" in page and "ZOLA" in page and "AILLEURS" not in page
    assert page.index("MARTIN") < page.index("ZOLA")
    page = client.get(reverse("people:caseload"), {"tri": "-nom"}).content.decode()
    assert page.index("ZOLA") < page.index("MARTIN")
    page = client.get(reverse("people:caseload"), {"consent": "non"}).content.decode()
    assert "ZOLA" in page and "MARTIN" not in page
    page = client.get(reverse("people:caseload"), {"q": "mart"}).content.decode()
    assert "MARTIN" in page and "ZOLA" not in page
    export = b"".join(client.get(reverse("people:caseload"), {"format": "csv"}).streaming_content).decode()
    assert "Martin;Camille Louise;14/05/1985" in export
    assert valid_nir() not in export


def test_caseload_query_count_does_not_grow_with_the_caseload(
    client_as, conseiller, nord, django_assert_max_num_queries
):
    for index in range(30):
        seat(
            PersonFactory(territory=nord, birth_name=f"Nom{index}", france_travail_id=f"{5000000 + index}A"),
            conseiller,
            is_referent=True,
        )
    client = client_as(conseiller)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:caseload")).status_code == 200


def test_manager_sees_the_structure_caseload(client_as, camille, gestionnaire):
    page = client_as(gestionnaire).get(reverse("people:caseload"), {"perimetre": "structure"}).content.decode()
    assert "MARTIN" in page


def test_create_then_duplicate_is_caught(client_as, conseiller, other_structure, nord):
    form = {
        "birth_name": "Benali",
        "first_names": "Nadia",
        "birth_date": "1993-07-21",
        "entry_date": "2026-11-02",
        "phone": "06 01 02 03 04",
        "consent_given": "on",
        "as_referent": "on",
    }
    response = client_as(conseiller).post(reverse("people:create"), form)
    person = Person.objects.get(birth_name="Benali")
    assert response.url == reverse("people:detail", args=[person.public_id])
    assert person.phone == "+33601020304"
    page = client_as(other_structure).post(reverse("people:create"), form | {"birth_name": "BENALI"}).content.decode()
    assert "Un dossier existe déjà" in page
    assert Person.objects.count() == 1
    assert client_as(other_structure).get(reverse("people:limited", args=[person.public_id])).status_code == 200


def test_create_form_names_bad_fields(client_as, conseiller, nord):
    form = {
        "birth_name": "X",
        "first_names": "Y",
        "birth_date": "2090-01-01",
        "entry_date": "2026-11-02",
        "nir": "123",
        "phone": "12",
    }
    page = client_as(conseiller).post(reverse("people:create"), form).content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert "Le NIR doit comporter 15 caractères" in page
    assert "Numéro de téléphone invalide" in page
    assert not Person.objects.exists()


def test_edit_updates_and_keeps_the_nir_when_left_blank(client_as, camille, conseiller):
    from spie.people.forms import PersonForm

    data = {key: value for key, value in PersonForm.initial_from(camille).items() if value not in (None, False)}
    data["birth_date"], data["entry_date"] = "1985-05-14", "2026-09-01"
    data["email"] = "nouveau@exemple.fr"
    response = client_as(conseiller).post(reverse("people:edit", args=[camille.public_id]), data)
    assert response.status_code == 302
    camille.refresh_from_db()
    assert camille.email == "nouveau@exemple.fr"
    assert camille.nir == valid_nir()


def test_ask_to_join_then_approve_from_the_team_tab(client_as, camille, colleague, conseiller):
    client = client_as(colleague)
    client.get(reverse("people:search"), {"identifier": valid_nir()})
    client.post(reverse("people:ask_to_join", args=[camille.public_id]), {"message": "Accompagnement PLIE"})
    join_request = JoinRequest.objects.get()
    referent = client_as(conseiller)
    team_page = referent.get(reverse("people:team", args=[camille.public_id])).content.decode()
    assert "Accompagnement PLIE" in team_page
    referent.post(reverse("people:approve_request", args=[camille.public_id, join_request.public_id]))
    assert client_as(colleague).get(reverse("people:detail", args=[camille.public_id])).status_code == 200


def test_access_tab_shows_who_read_the_file(client_as, camille, conseiller, other_structure):
    client_as(other_structure).get(reverse("people:detail", args=[camille.public_id]))
    page = client_as(conseiller).get(reverse("people:access_log", args=[camille.public_id])).content.decode()
    assert other_structure.get_full_name() in page and "Département du Nord" in page


def test_history_shows_the_timeline(client_as, camille, conseiller):
    client = client_as(conseiller)
    client.post(reverse("people:consent", args=[camille.public_id]), {"given": "non"})
    page = client.get(reverse("people:history", args=[camille.public_id])).content.decode()
    assert "Consentement au partage retiré" in page


def test_rgpd_export_gives_everything_and_is_logged(client_as, camille, conseiller):
    client = client_as(conseiller)
    response = client.get(reverse("people:export_json", args=[camille.public_id]))
    data = json.loads(response.content)
    assert data["identifiants"]["nir"] == valid_nir()
    assert data["identite"]["prenoms"] == "Camille Louise"
    assert {member["structure"] for member in data["equipe_de_suivi"]} == {
        "France Travail Lille",
        "Département du Nord",
    }
    assert AccessLog.objects.filter(person=camille, kind="export").exists()
    assert "Données personnelles de" in client.get(reverse("people:export", args=[camille.public_id])).content.decode()


def test_nir_never_appears_in_pages(client_as, camille, conseiller):
    client = client_as(conseiller)
    for name in ("detail", "team", "history", "access_log", "edit"):
        assert valid_nir() not in client.get(reverse(f"people:{name}", args=[camille.public_id])).content.decode()
