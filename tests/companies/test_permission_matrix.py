"""Every companies view × every persona, with the exact status expected."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.companies.enums import ImmersionStatus
from spie.companies.models import CompanyEvent
from tests.companies.factories import ContactFactory, TrainingFactory, immersion, shortage
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "referent",
    "team_member",
    "colleague",
    "other_territory",
    "orientation_officer",
    "coordinator",
    "gestionnaire",
    "admin_national",
]
TERRITORY = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302, "admin_national": 403}
SHARED_OBJECT = TERRITORY | {"other_territory": 404}


def row(allowed, *, default=403, **special):
    result = dict.fromkeys(PERSONAS, default) | {"anonymous": 302, "admin_national": 403}
    result |= dict.fromkeys(allowed, 200)
    return result | special


PERSON_FILE = dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "referent": 200, "team_member": 200}
IMMERSION = PERSON_FILE | {"orientation_officer": 200, "admin_national": 403}

VIEWS = {
    # (url name, args factory key) -> expected
    ("list", None): TERRITORY,
    ("create", None): TERRITORY,
    ("shortages", None): TERRITORY,
    ("shortage_create", None): row({"coordinator"}),
    ("import", "companies"): row({"gestionnaire", "orientation_officer", "coordinator"}),
    ("import", "shortages"): row({"coordinator"}),
    ("trainings", None): TERRITORY,
    ("training_create", None): TERRITORY,
    ("events", None): TERRITORY,
    ("event_create", None): TERRITORY,
    ("contact_requests", None): TERRITORY,
    ("territory", None): TERRITORY,
    ("detail", "company"): SHARED_OBJECT,
    ("contact_request", "company"): SHARED_OBJECT,
    ("edit", "company"): row({"referent", "colleague", "gestionnaire", "coordinator"}, other_territory=404),
    ("contact_add", "company"): row({"referent", "colleague", "gestionnaire", "coordinator"}, other_territory=404),
    ("job_add", "company"): row({"referent", "colleague", "gestionnaire", "coordinator"}, other_territory=404),
    ("opening_add", "company"): row({"referent", "colleague", "gestionnaire", "coordinator"}, other_territory=404),
    ("shortage_edit", "shortage"): row({"coordinator"}, other_territory=404),
    ("training_detail", "training"): SHARED_OBJECT,
    ("training_edit", "training"): row({"coordinator", "referent", "colleague", "gestionnaire"}, other_territory=404),
    ("event_detail", "event"): SHARED_OBJECT,
    ("event_edit", "event"): row({"coordinator", "referent", "colleague", "gestionnaire"}, other_territory=404),
    ("person_immersions", "person"): PERSON_FILE | {"orientation_officer": 200},
    ("person_companies", "person"): PERSON_FILE | {"orientation_officer": 403},
    ("immersion_create", "person"): PERSON_FILE | {"orientation_officer": 403},
    ("person_position", "person"): PERSON_FILE | {"orientation_officer": 403},
    ("immersion_detail", "immersion"): IMMERSION,
    ("immersion_agreement", "immersion"): IMMERSION,
    ("immersion_edit", "immersion"): IMMERSION | {"orientation_officer": 403},
    ("immersion_assess", "immersion"): IMMERSION | {"orientation_officer": 403},
}


@pytest.fixture
def objects(camille, ehpad, tutor, prescriber, nord, jobs, lille, conseiller):
    camille.commune = lille
    camille.save()
    return {
        "company": ehpad.public_id,
        "companies": "companies",
        "shortages": "shortages",
        "shortage": shortage(nord, jobs["J1501"]).public_id,
        "training": TrainingFactory(
            territory=nord, commune=lille, rome_jobs=[jobs["G1602"]], created_by=prescriber
        ).public_id,
        "event": CompanyEvent.objects.create(
            territory=nord,
            kind="forum",
            title="Forum de l'emploi",
            starts_at=timezone.now() + datetime.timedelta(days=3),
            commune=lille,
            place="Grand Palais",
            organiser=prescriber,
        ).public_id,
        "person": camille.public_id,
        "immersion": immersion(camille, ehpad, tutor, prescriber, status=ImmersionStatus.DRAFT).public_id,
    }


CASES = [(name, key, persona, expected[persona]) for (name, key), expected in VIEWS.items() for persona in PERSONAS]


@pytest.mark.parametrize(("name", "key", "persona", "expected"), CASES, indirect=["persona"])
def test_companies_views(client_as, persona, objects, name, key, expected):
    args = [objects[key]] if key else []
    response = client_as(persona).get(reverse(f"companies:{name}", args=args))
    assert response.status_code == expected


SECURE_LINK = "companies:link"


@pytest.mark.parametrize("persona", ["anonymous", "referent"], indirect=True)
def test_the_secure_link_page_needs_no_account_and_hides_unknown_links(client_as, persona, db):
    response = client_as(persona).get(reverse(SECURE_LINK, args=["inconnu"]))
    assert response.status_code == 404
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_a_tutor_sees_only_their_own_agreement(client, camille, ehpad, tutor, prescriber, jobs, lille, nord):
    from spie.companies.links import issue_link
    from tests.people.factories import PersonFactory, seat

    camille.commune = lille
    camille.save()
    mine = immersion(camille, ehpad, tutor, prescriber, status=ImmersionStatus.SIGNED_PERSON)
    other_person = PersonFactory(territory=nord, birth_name="Autre", first_names="Personne")
    seat(other_person, prescriber.user, is_referent=True)
    other_tutor = ContactFactory(company=ehpad, first_name="Marc", last_name="Petit")
    other = immersion(
        other_person,
        ehpad,
        other_tutor,
        prescriber,
        status=ImmersionStatus.SIGNED_PERSON,
        starts_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    _, raw = issue_link(
        purpose="sign_company", email=tutor.email, territory_id=nord.pk, validity_days=10, immersion=mine
    )
    page = client.get(reverse("companies:link", args=[raw])).content.decode()
    assert camille.birth_name.upper() in page and "AUTRE" not in page
    # The link gives no access to the platform's pages, nor to the other agreement.
    assert client.get(reverse("companies:immersion_detail", args=[other.public_id])).status_code == 302


COVERED_URL_NAMES = url_names("companies", (name for name, _ in VIEWS), [SECURE_LINK])
