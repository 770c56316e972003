"""Every questionnaires view × every persona, with the exact status expected."""

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import Role
from spie.questionnaires import services
from spie.questionnaires.models import MirrorMember, MirrorSession, QuestionnaireComment
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.matrix import url_names
from tests.questionnaires.factories import all_answers, form_data, invitation

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


def row(allowed, *, default=403, ok=200, **special):
    return dict.fromkeys(PERSONAS, default) | {"anonymous": 302} | dict.fromkeys(allowed, ok) | special


PERSON_FILE = dict.fromkeys(PERSONAS, 404) | {"anonymous": 302}
COORDINATION = row({"coordinator"})

GET_VIEWS = {
    ("person", "person"): PERSON_FILE | {"referent": 200, "team_member": 200, "orientation_officer": 403},
    ("results", None): row({"coordinator", "admin_national"}),
    ("comments", None): COORDINATION,
    ("comment_review", "comment"): COORDINATION,
    ("mirror", None): COORDINATION,
    ("volunteer_add", None): COORDINATION,
    ("session_create", None): COORDINATION,
    ("session", "session"): COORDINATION,
    # The person's own space: a professional's login is not a person's sign-in.
    ("space_list", None): dict.fromkeys(PERSONAS, 302),
    ("space_answer", "invitation"): dict.fromkeys(PERSONAS, 302),
}
POST_VIEWS = {
    # The successful POSTs redirect (302) like the anonymous ones: the matrix checks the effect too.
    ("person_mirror_join", "person"): PERSON_FILE | {"referent": 302, "team_member": 403, "orientation_officer": 403},
    ("member_withdraw", "member"): row({"coordinator"}, ok=302),
    ("session_attendance", "session"): row({"coordinator"}, ok=302),
    ("session_feedback", "session"): row({"coordinator"}, ok=302),
}
POST_DATA = {
    "person_mirror_join": {"consent_on": "2026-11-01"},
    "member_withdraw": {},
    "session_attendance": {"members": []},
    "session_feedback": {"summary": "Les délais sont trop longs.", "themes": ["delais"]},
}


@pytest.fixture
def objects(camille, coordinator, nord):
    item, _ = invitation(camille)
    services.answer_questionnaire(invitation=item, answers=all_answers(), comment="Bien.")
    pending, _ = invitation(camille, "sortie")
    territory = nord
    return {
        "person": camille.public_id,
        "comment": QuestionnaireComment.objects.get().public_id,
        "invitation": pending.public_id,
        "member": MirrorMember.objects.create(
            territory=territory, kind="externe", display_name="Nadia", consent_on=timezone.localdate()
        ).public_id,
        "session": MirrorSession.objects.create(
            territory=territory, held_on=timezone.localdate(), topic="Accueil", place="Lille"
        ).public_id,
    }


def _cases(views):
    return [(name, key, persona, expected[persona]) for (name, key), expected in views.items() for persona in PERSONAS]


@pytest.mark.parametrize(("name", "key", "persona", "expected"), _cases(GET_VIEWS), indirect=["persona"])
def test_questionnaires_pages(client_as, persona, objects, name, key, expected):
    args = [objects[key]] if key else []
    response = client_as(persona).get(reverse(f"questionnaires:{name}", args=args))
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "key", "persona", "expected"), _cases(POST_VIEWS), indirect=["persona"])
def test_questionnaires_actions(client_as, persona, objects, name, key, expected):
    response = client_as(persona).post(reverse(f"questionnaires:{name}", args=[objects[key]]), POST_DATA[name])
    assert response.status_code == expected
    if expected == 302 and persona is not None:
        assert "/connexion/" not in response["Location"]


ANSWER_LINK = "questionnaires:answer_link"


@pytest.mark.parametrize("persona", ["anonymous", "referent", "coordinator"], indirect=True)
def test_the_answer_link_needs_no_account(client_as, persona, camille):
    _, raw = invitation(camille)
    url = reverse(ANSWER_LINK, args=[raw])
    assert client_as(persona).get(url).status_code == 200
    assert client_as(persona).get(reverse(ANSWER_LINK, args=["inconnu"])).status_code == 404


def test_another_territorys_coordinator_gets_404_on_objects_of_nord(client_as, objects, ml_ardennes):
    ardennes_coordinator = MembershipFactory(
        user=UserFactory(email="coordination@ardennes.fr"), organisation=ml_ardennes, role=Role.COORDINATEUR
    ).user
    client = client_as(ardennes_coordinator)
    assert client.get(reverse("questionnaires:comment_review", args=[objects["comment"]])).status_code == 404
    assert client.get(reverse("questionnaires:session", args=[objects["session"]])).status_code == 404
    assert client.post(reverse("questionnaires:member_withdraw", args=[objects["member"]])).status_code == 404
    assert client.post(reverse("questionnaires:session_feedback", args=[objects["session"]])).status_code == 404
    assert "Note globale" not in client.get(reverse("questionnaires:results")).content.decode()
    assert client.get(reverse("questionnaires:comments")).content.decode().count("Relire<span") == 0


def test_only_the_signed_in_person_answers_from_the_space(space_client, objects, camille, nord):
    from tests.people.factories import PersonFactory

    other = PersonFactory(territory=nord, birth_name="Autre")
    client = space_client(other)
    assert client.get(reverse("questionnaires:space_list")).status_code == 200
    url = reverse("questionnaires:space_answer", args=[objects["invitation"]])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data("sortie")).status_code == 404
    assert space_client(camille).get(url).status_code == 200


def test_the_menu_and_the_tab_follow_the_rules(client_as, coordinator, conseiller, orientation_officer, camille):
    from spie.core.plugins import main_menu, person_tabs

    labels = [label for _, label, _ in main_menu(coordinator.memberships.get())]
    assert "Avis des personnes" in labels and "Groupe miroir" in labels
    assert "Avis des personnes" not in [label for _, label, _ in main_menu(conseiller.memberships.get())]
    assert "questionnaires" in [key for _, key, _, _ in person_tabs(conseiller.memberships.get(), camille)]
    officer_tabs = person_tabs(orientation_officer.memberships.get(), camille)
    assert "questionnaires" not in [key for _, key, _, _ in officer_tabs]


COVERED_URL_NAMES = url_names("questionnaires", (name for name, _ in [*GET_VIEWS, *POST_VIEWS]), [ANSWER_LINK])
