"""The territorial roles' pages (list, grant, withdrawal) × every persona, with the exact status
expected, and nothing written when a write is refused.

Rule (`perms.can_view_territorial_roles`, `can_grant_role`, `can_withdraw_role`): the Nord
coordinator sees and manages the Nord roles, gives the orientation role but not the coordinator
role, withdraws the orientation role but not a coordinator's; a national administrator names the
territory with `?territoire=` (404 without it) and does everything; anyone else gets 403, a
structure manager included (`manager_company` manages Entreprise Dupont, Nord)."""

import pytest
from django.test import TestCase
from django.urls import reverse

from spie.accounts.enums import OrganisationType, Role
from spie.accounts.models import Membership, RoleGrant
from spie.core.models import AuditEvent
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


def row(coordinator, admin, refused=403):
    """`coordinator` for the Nord coordinator, `admin` for a national administrator, `refused`
    for everyone else signed in; anonymous visitors are sent to the login page."""
    return dict.fromkeys(PERSONAS, refused) | {"anonymous": 302, "coordinator": coordinator, "admin_national": admin}


ROUTES = {
    # (url name, object key, method) -> expected
    ("territorial_roles", None, "get"): row(200, 404),
    ("territorial_roles", "nord", "get"): row(200, 200),
    ("territorial_roles", "nord_csv", "get"): row(200, 200),
    ("territorial_role_grant", None, "get"): row(200, 404),
    ("territorial_role_grant", "nord", "get"): row(200, 200),
    # The orientation role to a counsellor of the Département: the coordinator or an administrator.
    ("territorial_role_grant", "grant_orientation", "post"): row(302, 302),
    # The coordinator role is not offered to the coordinator (form error); an administrator gives it.
    ("territorial_role_grant", "grant_coordination", "post"): row(200, 302),
    # A company may not hold a territorial role: its member is no candidate (form error).
    ("territorial_role_grant", "grant_in_company", "post"): row(200, 200),
    ("territorial_role_withdraw", "nord_officer", "get"): row(200, 200),
    ("territorial_role_withdraw", "nord_officer", "post"): row(302, 302),
    # A coordinator's role is withdrawn by a national administrator only.
    ("territorial_role_withdraw", "nord_coordinator", "get"): row(403, 200),
    ("territorial_role_withdraw", "nord_coordinator", "post"): row(403, 302),
    # Holders are looked up in the territory listed: another territory's officer is unknown there.
    ("territorial_role_withdraw", "ardennes_officer_in_nord", "post"): row(404, 404),
    ("territorial_role_withdraw", "ardennes_officer", "post"): row(404, 302),
    # A counsellor holds no territorial role: nothing to withdraw.
    ("territorial_role_withdraw", "nord_counsellor", "post"): row(404, 404),
}
REASON = "Renfort du territoire"


@pytest.fixture
def manager_company(nord):
    company = OrganisationFactory(name="Entreprise Dupont", type=OrganisationType.ENTREPRISE, territory=nord)
    return MembershipFactory(
        user=UserFactory(email="gestion@dupont.fr"), organisation=company, role=Role.GESTIONNAIRE
    ).user


def _member(organisation, role, email):
    return MembershipFactory(user=UserFactory(email=email), organisation=organisation, role=role)


@pytest.fixture
def objects(nord, ardennes, ft_lille, departement_nord, ml_ardennes, ministere, coordinator):
    company = OrganisationFactory(name="Boulangerie Martin", type=OrganisationType.ENTREPRISE, territory=nord)
    candidate = _member(departement_nord, Role.CONSEILLER, "candidate@nord.fr")
    company_member = _member(company, Role.CONSEILLER, "vendeur@martin.fr")
    nord_officer = _member(ft_lille, Role.CHARGE_ORIENTATION, "orientation@ft-lille.fr")
    nord_coordinator = _member(ft_lille, Role.COORDINATEUR, "coordination@ft-lille.fr")
    ardennes_officer = _member(ml_ardennes, Role.CHARGE_ORIENTATION, "orientation@ml-ardennes.fr")
    counsellor = _member(ft_lille, Role.CONSEILLER, "autre@ft-lille.fr")
    grant = {"role": Role.CHARGE_ORIENTATION, "reason": REASON}
    # key -> (url args, query string, POST data, the membership a POST changes, its role once changed)
    return {
        None: ([], "", {}, None, None),
        "nord": ([], "?territoire=59", {}, None, None),
        "nord_csv": ([], "?territoire=59&format=csv", {}, None, None),
        "grant_orientation": (
            [],
            "?territoire=59",
            grant | {"membership": candidate.public_id},
            candidate,
            Role.CHARGE_ORIENTATION,
        ),
        "grant_coordination": (
            [],
            "?territoire=59",
            grant | {"membership": candidate.public_id, "role": Role.COORDINATEUR},
            candidate,
            Role.COORDINATEUR,
        ),
        "grant_in_company": (
            [],
            "?territoire=59",
            grant | {"membership": company_member.public_id},
            company_member,
            None,
        ),
        "nord_officer": ([nord_officer.public_id], "?territoire=59", {"reason": REASON}, nord_officer, Role.CONSEILLER),
        "nord_coordinator": (
            [nord_coordinator.public_id],
            "?territoire=59",
            {"reason": REASON},
            nord_coordinator,
            Role.CONSEILLER,
        ),
        "ardennes_officer_in_nord": (
            [ardennes_officer.public_id],
            "?territoire=59",
            {"reason": REASON},
            ardennes_officer,
            None,
        ),
        "ardennes_officer": (
            [ardennes_officer.public_id],
            "?territoire=08",
            {"reason": REASON},
            ardennes_officer,
            Role.CONSEILLER,
        ),
        "nord_counsellor": ([counsellor.public_id], "?territoire=59", {"reason": REASON}, counsellor, None),
    }


def _state():
    return (
        sorted(Membership.objects.values_list("pk", "role")),
        RoleGrant.objects.count(),
        AuditEvent.objects.filter(action__startswith="accounts.membership").count(),
    )


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_territorial_role_routes(persona, client_as, objects, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast).
    The query string is ignored for everyone but national administrators."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, key, method), expected in ROUTES.items():
        args, query, data, target, new_role = objects[key]
        url = reverse(f"accounts:{name}", args=args) + query
        before = _state()
        if target is not None:
            target.refresh_from_db()
            role_before = target.role
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        status = response.status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name} {key}: {status}, expected {expected[who]}")
        if method != "post":
            continue
        target.refresh_from_db()
        if status == 302 and persona is not None:
            if target.role != new_role:
                wrong.append(f"POST {name} {key}: role {target.role}, expected {new_role}")
            # Put it back, so that the next routes start from the same state.
            Membership.objects.filter(pk=target.pk).update(role=role_before)
        elif _state() != before:
            wrong.append(f"POST {name} {key}: refused with {status} yet something was written")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("accounts", (name for name, _, _ in ROUTES))
