"""What a permission-matrix module covers, read by `tests/test_route_coverage.py`.

Every module `tests/**/test_*permission_matrix*.py` exposes two sets derived from its own tables,
so that a route is named once, where its expected statuses are written:

- `COVERED_URL_NAMES`: fully-qualified URL names (`"people:detail"`), built with `url_names`;
- `COVERED_API_OPERATIONS`: API operations as `("GET", "/api/v1/people/{person}")`, built with
  `api_operations`; the names of path parameters need not match the OpenAPI schema's.
"""


def url_names(namespace, *tables):
    """The names (keys of the tables, or any iterable of names) qualified by `namespace`."""
    return frozenset(name if ":" in name else f"{namespace}:{name}" for table in tables for name in table)


def api_operations(prefix, *tables):
    """`(method, path)` pairs (keys of the tables, or any iterable of pairs) under `prefix`."""
    return frozenset((method.upper(), prefix + path) for table in tables for method, path in table)


# API matrices -------------------------------------------------------------------------------

# Who calls the API: no token, then a token of each kind of structure. Camille (the person of the
# matrices) is followed by France Travail Lille (referent) and the Département du Nord (team member,
# and the structure of the territory's coordinator and orientation officer).
API_CALLERS = ["no_token", "ft_lille", "departement_nord", "ccas_lille", "ml_ardennes", "ministere"]
NORD_TOKENS = ["ft_lille", "departement_nord", "ccas_lille"]


def api_row(default, **statuses):
    """One status per caller: 401 without a token, `default` for every token unless named."""
    return dict.fromkeys(API_CALLERS, default) | {"no_token": 401} | statuses


def _orientation_token(request):
    """A token of the Département du Nord given the orientation scope by the territory's coordinator."""
    from spie.accounts.actors import Actor
    from spie.accounts.enums import ApiTokenScope
    from spie.accounts.services import create_api_token

    coordinator = request.getfixturevalue("coordinator")
    by = Actor(user=coordinator, membership=coordinator.memberships.get())
    organisation = request.getfixturevalue("departement_nord")
    reason = "Logiciel d'orientation du Département"
    return create_api_token(
        organisation=organisation, name="Orientation", by=by, scope=ApiTokenScope.ORIENTATION, reason=reason
    )[1]


def api_headers(request, caller):
    """The Authorization header of `caller` (a fresh token of that structure), or none."""
    from spie.accounts.enums import OrganisationType
    from spie.accounts.services import create_api_token
    from tests.accounts.factories import OrganisationFactory

    if caller == "no_token":
        return {}
    if caller == "departement_nord_orientation":
        return {"Authorization": f"Bearer {_orientation_token(request)}"}
    if caller == "ccas_lille":
        organisation = OrganisationFactory(
            name="CCAS de Lille", type=OrganisationType.CCAS, territory=request.getfixturevalue("nord")
        )
    else:
        organisation = request.getfixturevalue(caller)
    return {"Authorization": f"Bearer {create_api_token(organisation=organisation, name='Logiciel', by=None)[1]}"}


def api_mismatches(client, endpoints, objects, caller, headers, bodies=None):
    """Call every endpoint in turn; return the calls whose status differs from the table."""
    import json

    wrong = []
    for (method, path), expected in endpoints.items():
        url = "/api/v1" + path.format(**objects)
        if method == "get":
            response = client.get(url, headers=headers)
        else:
            body = (bodies or {}).get((method, path), lambda objects: {})(objects)
            response = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
        if response.status_code != expected[caller]:
            wrong.append(f"{method.upper()} {path}: {response.status_code}, expected {expected[caller]}")
    return wrong
