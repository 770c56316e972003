"""Cancelling a staged import of people (or of structures and professionals) × every persona,
with the exact status expected and the staged file kept when the cancellation is refused.

Both views are POST-only and look the import up among the current membership's own
(`_import_for`): anyone else gets a 404, even someone who may import. For people, the right to
import (`can_import_people`) is checked first: 403 for those who may not import at all. For
accounts, the right (`can_import_accounts`) is checked on the uploader's import: a membership that
lost it gets 403 on its own import."""

import pytest
from django.urls import reverse

from spie.accounts.enums import ImportKind, OrganisationType, Role
from spie.accounts.models import AccountImport, Membership
from spie.people.models import PersonImport
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "manager_company",
    "other_structure",
    "orientation_officer",
    "other_territory",
    "coordinator",
    "admin_national",
]
NOT_ALLOWED = dict.fromkeys(PERSONAS, 405) | {"anonymous": 302}
# Who may import people: structure managers, orientation officers and coordinators of a territory.
MAY_IMPORT_PEOPLE = {"gestionnaire", "manager_company", "orientation_officer", "coordinator"}


def owner_only(owner, others_allowed, refused=404):
    """302 (back to the upload page) for `owner`, 404 for `others_allowed`, `refused` for the rest."""
    return (
        dict.fromkeys(PERSONAS, refused)
        | dict.fromkeys(others_allowed, 404)
        | {"anonymous": 302, **({owner: 302} if owner else {})}
    )


ROUTES = {
    # (url name, import key, method) -> expected
    # Uploaded by `gestionnaire` (France Travail Lille).
    ("people:import_cancel", "people_import", "post"): owner_only("gestionnaire", MAY_IMPORT_PEOPLE, refused=403),
    ("people:import_cancel", "people_import", "get"): NOT_ALLOWED,
    # Already imported: the owner is sent back, the summary is kept.
    ("people:import_cancel", "people_applied", "post"): owner_only("gestionnaire", MAY_IMPORT_PEOPLE, refused=403),
    # Uploaded by `coordinator` (Nord).
    ("accounts:import_cancel", "professionals_import", "post"): owner_only("coordinator", ()),
    ("accounts:import_cancel", "professionals_import", "get"): NOT_ALLOWED,
    # Uploaded by `admin_national`, for the Ardennes.
    ("accounts:import_cancel", "organisations_import", "post"): owner_only("admin_national", ()),
    # Left by `conseiller` when they could import: they may no longer touch it.
    ("accounts:import_cancel", "stale_import", "post"): owner_only(None, ()) | {"conseiller": 403},
}
DELETED = {"people_import", "professionals_import", "organisations_import"}


@pytest.fixture
def manager_company(nord):
    company = OrganisationFactory(name="Entreprise Dupont", type=OrganisationType.ENTREPRISE, territory=nord)
    return MembershipFactory(
        user=UserFactory(email="gestion@dupont.fr"), organisation=company, role=Role.GESTIONNAIRE
    ).user


@pytest.fixture
def objects(nord, ardennes, gestionnaire, coordinator, conseiller, admin_national):
    content = b"nom;prenom;date_naissance\nDurand;L\xc3\xa9a;03/04/1991\n"

    def people(**extra):
        person_import = PersonImport(
            territory=nord, membership=Membership.objects.get(user=gestionnaire), filename="personnes.csv", **extra
        )
        person_import.stage(content)
        person_import.save()
        return person_import

    def accounts(user, kind, territory):
        account_import = AccountImport(
            kind=kind, territory=territory, membership=Membership.objects.get(user=user), filename="import.csv"
        )
        account_import.stage(b"email;nom;prenom;siret_structure\n")
        account_import.save()
        return account_import

    return {
        "people_import": people(),
        "people_applied": people(summary="1 dossier(s) créé(s)", applied_at=nord.created_at),
        "professionals_import": accounts(coordinator, ImportKind.PROFESSIONALS, nord),
        "organisations_import": accounts(admin_national, ImportKind.ORGANISATIONS, ardennes),
        "stale_import": accounts(conseiller, ImportKind.PROFESSIONALS, nord),
    }


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_import_cancel_routes(persona, client_as, objects, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, key, method), expected in ROUTES.items():
        staged = objects[key]
        stored = type(staged).objects.filter(pk=staged.pk)
        existed = stored.exists()
        response = getattr(client, method)(reverse(name, args=[staged.public_id]))
        if response.status_code != expected[who]:
            wrong.append(f"{method.upper()} {name} {key}: {response.status_code}, expected {expected[who]}")
        # Only the owner's POST drops a file not yet imported; every other call leaves it.
        dropped = existed and not stored.exists()
        if dropped != (method == "post" and response.status_code == 302 and persona is not None and key in DELETED):
            wrong.append(f"{method.upper()} {name} {key}: dropped={dropped} after {response.status_code}")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("", (name for name, _, _ in ROUTES))
