"""Every case reviews page and form × every persona, with the exact status expected; the access
window of the members (frozen clock) and the form each reader gets."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from spie.casereviews import services
from spie.casereviews.models import CaseAction
from tests.casereviews.helpers import full_case, planned, published, referred
from tests.diagnostics.helpers import actor
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "referent",
    "team_member",
    "colleague",
    "gestionnaire",
    "external",
    "orientation_officer",
    "coordinator",
    "other_territory",
    "admin_national",
]
MEMBERS = {"colleague", "gestionnaire", "external"}


def row(allowed=(), *, default=404, **special):
    result = dict.fromkeys(PERSONAS, default) | {"anonymous": 302}
    return result | dict.fromkeys(allowed, 200) | special


COORDINATOR_ONLY = row({"coordinator"}, default=403)
BODY_FORM = row({"coordinator"}) | dict.fromkeys(MEMBERS, 403)
SEEN_BY_MEMBERS = row({"coordinator", *MEMBERS})
CASE = row({"referent", "team_member", "coordinator", *MEMBERS})

VIEWS = {
    ("home", None): row({"coordinator", *MEMBERS}, default=403),
    ("body_create", None): COORDINATOR_ONLY,
    ("waiting", None): COORDINATOR_ONLY,
    ("candidates", None): COORDINATOR_ONLY,
    ("body", "body"): SEEN_BY_MEMBERS,
    ("member_add", "body"): BODY_FORM,
    ("session_create", "body"): BODY_FORM,
    ("session", "session"): SEEN_BY_MEMBERS,
    ("session_pdf", "session"): SEEN_BY_MEMBERS,
    ("session_cancel", "session"): BODY_FORM,
    ("person_cases", "person"): row({"referent", "team_member"}, orientation_officer=403),
    ("refer", "person"): row({"referent"}, team_member=403, orientation_officer=403),
    ("case", "case"): CASE,
    ("presentation", "case"): CASE | dict.fromkeys(["team_member", "coordinator", *MEMBERS], 403),
    ("withdraw", "case"): CASE | dict.fromkeys(["team_member", *MEMBERS], 403),
    ("action_done", "action"): CASE | dict.fromkeys(["team_member", *MEMBERS], 403),
}
# Forms that only accept POST: an empty post is refused (403/404) before anything is read; the
# coordinator's is handled (a redirect with a message, or the form again with its errors).
POSTS = {
    ("member_remove", "member"): BODY_FORM | {"coordinator": 302},
    ("session_schedule", "session"): BODY_FORM | {"coordinator": 302},
    ("session_publish", "session"): BODY_FORM | {"coordinator": 302},
    ("session_attendance", "session"): BODY_FORM | {"coordinator": 302},
    ("session_hold", "session"): BODY_FORM | {"coordinator": 302},
    ("session_sign", "session"): BODY_FORM | {"coordinator": 302},
    ("discussion", "case"): CASE | dict.fromkeys(["referent", "team_member", *MEMBERS], 403) | {"coordinator": 400},
    ("decision", "case"): CASE | dict.fromkeys(["referent", "team_member", *MEMBERS], 403) | {"coordinator": 400},
    ("action", "case"): CASE | dict.fromkeys(["referent", "team_member", *MEMBERS], 403) | {"coordinator": 400},
    ("candidate_invite", "candidate"): COORDINATOR_ONLY | {"coordinator": 302},
}


@pytest.fixture
def objects(body, camille, pathway, conseiller, coordinator, ft_lille):
    session, case = full_case(body, camille, conseiller, coordinator)
    action = services.add_action(
        case=case,
        title="Demander une aide au permis",
        owner_organisation=ft_lille,
        due_on=case.discussed_on + datetime.timedelta(days=10),
        by=actor(coordinator),
    )
    return {
        "body": body.public_id,
        "member": body.members.get(full_name="Dominique Représentante").public_id,
        "session": session.public_id,
        "case": case.public_id,
        "person": camille.public_id,
        "action": action.public_id,
        "candidate": pathway.public_id,
    }


def _statuses(client, request, expected, url, method="get"):
    found = {}
    for name in PERSONAS:
        client.logout()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        found[name] = getattr(client, method)(url).status_code
    return {name: (found[name], expected[name]) for name in PERSONAS if found[name] != expected[name]}


@pytest.mark.parametrize(("name", "key"), list(VIEWS))
def test_casereviews_pages(client, request, objects, external, name, key):
    url = reverse(f"casereviews:{name}", args=[objects[key]] if key else [])
    assert _statuses(client, request, VIEWS[(name, key)], url) == {}


@pytest.mark.parametrize(("name", "key"), list(POSTS))
def test_casereviews_forms(client, request, objects, external, name, key):
    args = [objects["body"], objects[key]] if name == "member_remove" else [objects[key]]
    assert _statuses(client, request, POSTS[(name, key)], reverse(f"casereviews:{name}", args=args), "post") == {}


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("casereviews:case", args=[case.public_id]))


def test_members_see_the_form_their_right_allows_until_the_access_window_ends(
    client, body, camille, pathway, conseiller, coordinator, colleague, gestionnaire, external
):
    session, case = full_case(body, camille, conseiller, coordinator)
    services.sign_minutes(session=session, by=actor(coordinator))
    ends = timezone.localdate() + datetime.timedelta(days=30)
    for day, named in ((ends, True), (ends + datetime.timedelta(days=1), False)):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False):
            assert ("MARTIN" in _page(client, colleague, case).content.decode()) is named
            for user in (gestionnaire, external):
                response = _page(client, user, case)
                assert response.status_code == 200 and "MARTIN" not in response.content.decode()
                assert "C. M." in response.content.decode()
            assert "MARTIN" in _page(client, conseiller, case).content.decode()


def test_members_see_no_case_before_the_agenda_is_published(
    client, body, camille, pathway, conseiller, coordinator, colleague
):
    case = referred(camille, conseiller)
    session = planned(body, coordinator)
    services.schedule_case(case=case, session=session, by=actor(coordinator))
    assert _page(client, colleague, case).status_code == 404
    client.force_login(colleague)
    response = client.get(reverse("casereviews:session", args=[session.public_id]))
    assert response.status_code == 200 and "pas encore publié" in response.content.decode()
    services.publish_agenda(session=session, by=actor(coordinator))
    assert _page(client, colleague, case).status_code == 200


def test_a_member_who_joined_later_sees_only_the_sessions_they_belong_to(
    client, body, camille, pathway, conseiller, coordinator, other_structure, nord
):
    from tests.accounts.factories import MembershipFactory, UserFactory

    session, case = full_case(body, camille, conseiller, coordinator)
    newcomer = MembershipFactory(
        user=UserFactory(email="nouveau@nord.fr"), organisation=other_structure.memberships.get().organisation
    ).user
    services.add_member(body=body, membership=newcomer.memberships.get(), by=actor(coordinator))
    assert _page(client, newcomer, case).status_code == 404
    assert client.get(reverse("casereviews:session", args=[session.public_id])).status_code == 404
    assert client.get(reverse("casereviews:body", args=[body.public_id])).status_code == 200


def test_the_owner_of_an_action_may_mark_it_done(
    client, body, camille, pathway, conseiller, coordinator, colleague, ft_lille
):
    _, case = full_case(body, camille, conseiller, coordinator)
    action = services.add_action(
        case=case,
        title="Proposer une immersion",
        owner_organisation=ft_lille,
        owner_membership=colleague.memberships.get(),
        due_on=case.discussed_on,
        by=actor(coordinator),
    )
    client.force_login(colleague)
    url = reverse("casereviews:action_done", args=[action.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"done_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert CaseAction.objects.get(pk=action.pk).status == "realisee"


def test_members_of_a_published_session_read_its_agenda_in_their_form(
    client, body, camille, pathway, conseiller, coordinator, external
):
    case = referred(camille, conseiller)
    session = published(body, coordinator, case)
    client.force_login(external)
    content = client.get(reverse("casereviews:session", args=[session.public_id])).content.decode()
    assert "C. M." in content and "MARTIN" not in content and "Quelles solutions" in content


COVERED_URL_NAMES = url_names("casereviews", (name for name, _ in [*VIEWS, *POSTS]))
