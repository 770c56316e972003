"""Web-form 500s that become French field errors, and the duplicate warning's audit."""

import pytest
from django.urls import reverse

from spie.core.models import AuditEvent
from spie.people.enums import AccessKind
from spie.people.forms import CaseloadFilterForm, IdentitySearchForm, PersonForm
from spie.people.models import AccessLog, Person
from tests.people.factories import PersonFactory
from tests.people.test_api import _auth, _token

LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".fr"  # a valid address of 307 characters


def _edit_data(person, **changes):
    data = {
        name: ("" if value is None else value)
        for name, value in PersonForm.initial_from(person).items()
        if name not in ("commune", "rqth")
    }
    data["birth_date"], data["entry_date"] = person.birth_date.isoformat(), person.entry_date.isoformat()
    return {**data, **changes}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("france_travail_id", "Cet identifiant France Travail est déjà celui d&#x27;un autre dossier du territoire."),
        ("si_id", "Cet identifiant SI du Département est déjà celui d&#x27;un autre dossier du territoire."),
    ],
)
def test_another_files_identifier_is_a_field_error_on_edit(client_as, conseiller, camille, nord, field, message):
    PersonFactory(territory=nord, birth_name="Autre", france_travail_id="7654321Z", si_id="SI-42")
    value = {"france_travail_id": "7654321Z", "si_id": "SI-42"}[field]
    response = client_as(conseiller).post(
        reverse("people:edit", args=[camille.public_id]), _edit_data(camille, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    camille.refresh_from_db()
    assert getattr(camille, field) != value


def test_the_duplicate_warning_is_audited_without_identity(client_as, colleague, camille):
    response = client_as(colleague).post(
        reverse("people:create"),
        {
            "birth_name": camille.birth_name,
            "first_names": camille.first_names,
            "birth_date": camille.birth_date.isoformat(),
            "entry_date": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert Person.objects.count() == 1
    event = AuditEvent.objects.get(action="people.identity.shown")
    assert event.actor == colleague and event.subject_id == camille.public_id and event.target_id == camille.public_id
    assert camille.birth_name not in str(event.data)
    assert AccessLog.objects.filter(person=camille, user=colleague, kind=AccessKind.LIMITED).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"birth_date": "0001-01-01"}, "birth_date"),
        ({"entry_date": "0001-01-01"}, "entry_date"),
        ({"email": LONG_EMAIL}, "email"),
    ],
)
def test_the_person_form_refuses_implausible_dates_and_too_long_values(camille, changes, field):
    form = PersonForm(_edit_data(camille, **changes))
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_a_year_one_entry_date_on_edit_is_a_french_field_error(client_as, conseiller, camille):
    response = client_as(conseiller).post(
        reverse("people:edit", args=[camille.public_id]), _edit_data(camille, entry_date="0001-01-01")
    )
    assert response.status_code == 200
    assert "une date antérieure à 1900 n&#x27;est pas acceptée" in response.content.decode()


def test_search_and_list_filters_refuse_year_one():
    assert "birth_date" in IdentitySearchForm({"birth_date": "0001-01-01", "last_name": "a", "first_name": "b"}).errors
    form = CaseloadFilterForm({"entry_from": "0001-01-01", "entry_to": "0001-12-31"}, referents=[])
    assert set(form.errors) == {"entry_from", "entry_to"}


@pytest.mark.parametrize(("field", "value"), [("date_naissance", "1899-12-31"), ("date_entree", "0001-01-01")])
def test_the_api_schema_refuses_implausible_dates(client, gestionnaire, ft_lille, conseiller, field, value):
    payload = {
        "nom_naissance": "Lemoine",
        "prenoms": "Sarah",
        "date_naissance": "1992-03-04",
        "date_entree": "2026-10-01",
        "referent_email": conseiller.email,
        field: value,
    }
    headers = _auth(_token(gestionnaire, ft_lille))
    response = client.post("/api/v1/people/", payload, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert [error["champ"] for error in response.json()["erreurs"]] == [field]
    assert not Person.objects.exists()


def test_the_api_search_refuses_a_year_one_birth_date(client, gestionnaire, ft_lille):
    headers = _auth(_token(gestionnaire, ft_lille))
    response = client.get(
        "/api/v1/people/search", {"nom": "a", "prenom": "b", "date_naissance": "0001-01-01"}, headers=headers
    )
    assert response.status_code == 422
