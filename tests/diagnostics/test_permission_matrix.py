"""Every diagnostic view × every relation to the person, with the exact status expected.

`conseiller` (referent) wrote the draft; `other_structure` is a team member without the sensitive
flag; the territory's orientation officer sees the file but writes no diagnostic."""

import pytest
from django.urls import reverse

from tests.matrix import url_names

from .helpers import draft, validated

PERSONAS = [
    "anonymous",
    "referent",
    "team_member",
    "former_member",
    "colleague",
    "other_territory",
    "orientation_officer",
    "coordinator",
    "gestionnaire",
    "admin_national",
]


def row(allowed_status, allowed, *, refused=403, visible=("referent", "team_member", "orientation_officer")):
    result = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            result[persona] = 302
        elif persona in allowed:
            result[persona] = allowed_status
        elif persona in visible:
            result[persona] = refused
        else:
            result[persona] = 404
    return result


READ = row(200, {"referent", "team_member", "orientation_officer"})
PERSON_VIEWS = {
    "diagnostics:person": READ,
    "diagnostics:start": row(200, {"referent", "team_member"}),
    "diagnostics:compare": READ,
}
DRAFT_VIEWS = {
    "diagnostics:detail": READ,
    "diagnostics:coauthor": row(200, {"referent"}),
    "diagnostics:validate": row(200, {"referent"}),
    "diagnostics:join": row(200, {"team_member"}),
}
SECTION = row(200, {"referent"})
SECTION_URL, ABANDON_URL = "diagnostics:edit", "diagnostics:abandon"


def _cases(table):
    return [(view, persona, status) for view, statuses in table.items() for persona, status in statuses.items()]


@pytest.fixture
def the_draft(pathway_referential, camille, conseiller):
    return draft(camille, conseiller)


@pytest.mark.parametrize(("view", "persona", "status"), _cases(PERSON_VIEWS), indirect=["persona"])
def test_person_views(view, persona, status, client_as, camille, pathway_referential):
    assert client_as(persona).get(reverse(view, args=[camille.public_id])).status_code == status


@pytest.mark.parametrize(("view", "persona", "status"), _cases(DRAFT_VIEWS), indirect=["persona"])
def test_draft_views(view, persona, status, client_as, the_draft):
    assert client_as(persona).get(reverse(view, args=[the_draft.public_id])).status_code == status


@pytest.mark.parametrize("section", ["professionnel", "projet", "social", "parole"])
@pytest.mark.parametrize(("persona", "status"), SECTION.items(), indirect=["persona"])
def test_section_views(section, persona, status, client_as, the_draft):
    response = client_as(persona).get(reverse(SECTION_URL, args=[the_draft.public_id, section]))
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), row(302, {"referent"}).items(), indirect=["persona"])
def test_abandon(persona, status, client_as, the_draft):
    assert client_as(persona).post(reverse(ABANDON_URL, args=[the_draft.public_id])).status_code == status


def test_unknown_section_is_404(client_as, conseiller, the_draft):
    assert (
        client_as(conseiller).get(reverse("diagnostics:edit", args=[the_draft.public_id, "autre"])).status_code == 404
    )


@pytest.mark.parametrize(
    "view", ["diagnostics:edit", "diagnostics:coauthor", "diagnostics:validate", "diagnostics:join"]
)
def test_a_validated_diagnostic_cannot_be_edited_from_any_view(
    view, client_as, camille, conseiller, pathway_referential
):
    diagnostic = validated(camille, conseiller)
    args = [diagnostic.public_id, "professionnel"] if view == "diagnostics:edit" else [diagnostic.public_id]
    response = client_as(conseiller).post(reverse(view, args=args), {"skills": "x", "confirm": "on"})
    assert response.status_code == 302
    assert response.url == reverse("diagnostics:detail", args=[diagnostic.public_id])


@pytest.mark.parametrize(("persona", "status"), row(302, {"team_member"}).items(), indirect=["persona"])
def test_cosign(persona, status, client_as, camille, conseiller, other_structure, pathway_referential):
    """Only the co-author themself signs: `other_structure` (team member) is the co-author; the
    referent signed in validating."""
    from spie.diagnostics import services

    from .helpers import COMPLETE, actor

    diagnostic = draft(camille, conseiller, **COMPLETE)
    services.add_coauthor(
        diagnostic=diagnostic, membership=other_structure.memberships.get(), speciality="social", by=actor(conseiller)
    )
    services.validate_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    assert client_as(persona).post(reverse("diagnostics:cosign", args=[diagnostic.public_id])).status_code == status


COVERED_URL_NAMES = url_names("diagnostics", PERSON_VIEWS, DRAFT_VIEWS, [SECTION_URL, ABANDON_URL, "cosign"])
