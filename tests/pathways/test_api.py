import datetime

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.enums import ApiTokenScope
from spie.accounts.models import Membership
from spie.diagnostics.models import Diagnostic
from spie.diagnostics.sensitive import MASKED
from spie.pathways.models import OrientationDecision
from tests.diagnostics.helpers import validated
from tests.people.factories import PersonFactory


def _token(user, organisation):
    actor = Actor(user=user, membership=Membership.objects.filter(user=user, organisation=organisation).get())
    return account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]


def _orientation_token(granter, organisation):
    """A token with the orientation scope, given by `granter` (a coordinator of the territory)."""
    actor = Actor(user=granter, membership=granter.memberships.get())
    return account_services.create_api_token(
        organisation=organisation, name="Logiciel", by=actor, scope=ApiTokenScope.ORIENTATION, reason="Orientation"
    )[1]


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def ft_token(gestionnaire, ft_lille):
    """France Travail Lille: in Camille's team (her referent's structure), no orientation officer."""
    return _token(gestionnaire, ft_lille)


@pytest.fixture
def departement_token(orientation_officer, departement_nord, nord):
    """Département du Nord: carries the orientation of the territory; its token has the orientation
    scope, given by a coordinator of the territory (in another structure, so that the Département's
    own staff stays as the tests expect)."""
    from spie.accounts.enums import OrganisationType, Role
    from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

    steering = OrganisationFactory(name="Pilotage SPIE Nord", type=OrganisationType.AUTRE, territory=nord)
    granter = MembershipFactory(
        user=UserFactory(email="pilotage@nord.fr"), organisation=steering, role=Role.COORDINATEUR
    )
    return _orientation_token(granter.user, departement_nord)


@pytest.fixture
def ardennes_token(other_territory, ml_ardennes):
    return _token(other_territory, ml_ardennes)


@pytest.mark.usefixtures("pathway_referential")
def test_read_diagnostics_masks_sensitive_themes(client, ft_token, camille, conseiller):
    diagnostic = validated(
        camille,
        conseiller,
        situations={"sante.s02": ("fort", "Lombalgie"), "logement.s02": ("moyen", "")},
        priority_theme_codes=["sante", "logement"],
    )
    body = client.get(f"/api/v1/diagnostics/people/{camille.public_id}", headers=_auth(ft_token)).json()
    assert [item["numero"] for item in body] == [1]
    item = body[0]
    assert [row["situation"] for row in item["situations"]] == ["logement.s02"]
    assert item["priorites"] == ["logement"] and item["themes_sensibles"] == MASKED
    assert "Lombalgie" not in str(body)
    assert item["orientation_proposee"] == diagnostic.proposed_pathway
    detail = client.get(f"/api/v1/diagnostics/{diagnostic.public_id}", headers=_auth(ft_token)).json()
    assert detail["id"] == str(diagnostic.public_id) and "Lombalgie" not in str(detail)


@pytest.mark.usefixtures("pathway_referential")
def test_diagnostics_of_people_not_followed_are_404(client, ardennes_token, ft_token, camille, conseiller, nord):
    diagnostic = validated(camille, conseiller)
    assert client.get(f"/api/v1/diagnostics/{diagnostic.public_id}", headers=_auth(ardennes_token)).status_code == 404
    stranger = PersonFactory(territory=nord, birth_name="Durand")
    assert client.get(f"/api/v1/diagnostics/people/{stranger.public_id}", headers=_auth(ft_token)).status_code == 404


@pytest.mark.usefixtures("pathway_referential")
def test_create_a_draft(client, ft_token, camille, conseiller, rome_jobs):
    payload = {
        "personne": str(camille.public_id),
        "auteur_email": conseiller.email,
        "specialite": "professionnel",
        "situation_travail": "recherche",
        "niveau_formation": "NV4",
        "metiers_rome": ["M1607"],
        "rayon_mobilite_km": 20,
        "projection_emploi": "pret",
        "situations": [{"situation": "mobilite.s03", "niveau": "fort", "commentaire": "Pas de voiture"}],
    }
    response = client.post("/api/v1/diagnostics/", payload, content_type="application/json", headers=_auth(ft_token))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["statut"] == "brouillon" and body["metiers_rome"] == ["M1607"]
    assert body["situations"][0]["situation"] == "mobilite.s03"
    diagnostic = Diagnostic.objects.get()
    assert diagnostic.authors.get().membership.user == conseiller


@pytest.mark.usefixtures("pathway_referential")
def test_create_a_draft_refusals(client, ft_token, camille, conseiller):
    base = {"personne": str(camille.public_id), "auteur_email": conseiller.email, "specialite": "social"}
    bad_radius = client.post(
        "/api/v1/diagnostics/",
        base | {"rayon_mobilite_km": 900},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert bad_radius.status_code == 422 and "rayon_mobilite_km" in bad_radius.json()["message"]
    sensitive = client.post(
        "/api/v1/diagnostics/",
        base | {"situations": [{"situation": "sante.s01", "niveau": "fort"}]},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert sensitive.status_code == 400 and "sensible" in sensitive.json()["message"]
    assert not Diagnostic.objects.exists()  # all or nothing
    stranger = client.post(
        "/api/v1/diagnostics/",
        base | {"auteur_email": "x@y.fr"},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert stranger.status_code == 422 and "auteur_email" in stranger.json()["message"]


def test_queue_only_for_a_structure_that_carries_orientation(client, departement_token, ft_token, camille, nord):
    PersonFactory(territory=nord, birth_name="Durand", entry_date=datetime.date(2026, 1, 5))
    assert client.get("/api/v1/pathways/orientation/queue", headers=_auth(ft_token)).status_code == 403
    body = client.get("/api/v1/pathways/orientation/queue", headers=_auth(departement_token)).json()
    assert body["count"] == 2
    assert [item["nom"] for item in body["items"]] == ["Durand", "Martin"]
    assert body["items"][0]["hors_delai"] is True and body["items"][0]["objectif_jours"] == 30


def test_create_and_read_decisions(client, departement_token, ft_token, ardennes_token, camille, other_structure):
    payload = {
        "personne": str(camille.public_id),
        "type_parcours": "socio_professionnel",
        "referent_email": other_structure.email,
        "date_notification": "2026-10-01",
    }
    assert (
        client.post(
            "/api/v1/pathways/orientation/decisions", payload, content_type="application/json", headers=_auth(ft_token)
        ).status_code
        == 403
    )
    response = client.post(
        "/api/v1/pathways/orientation/decisions",
        payload,
        content_type="application/json",
        headers=_auth(departement_token),
    )
    assert response.status_code == 201
    assert response.json()["referent_email"] == other_structure.email
    assert OrientationDecision.objects.get().decided_by is None
    again = client.post(
        "/api/v1/pathways/orientation/decisions",
        payload,
        content_type="application/json",
        headers=_auth(departement_token),
    )
    assert again.status_code == 400 and "réorientation" in again.json()["message"]
    url = f"/api/v1/pathways/orientation/people/{camille.public_id}/decisions"
    assert client.get(url, headers=_auth(ft_token)).json()[0]["type_parcours"] == "socio_professionnel"
    assert client.get(url, headers=_auth(ardennes_token)).status_code == 404


def test_decision_with_an_unknown_referent(client, departement_token, camille):
    response = client.post(
        "/api/v1/pathways/orientation/decisions",
        {
            "personne": str(camille.public_id),
            "type_parcours": "social",
            "referent_email": "inconnu@exemple.fr",
            "date_notification": "2026-10-01",
        },
        content_type="application/json",
        headers=_auth(departement_token),
    )
    assert response.status_code == 422 and "referent_email" in response.json()["message"]
