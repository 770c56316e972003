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
