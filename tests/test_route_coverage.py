"""Every URL name and every API operation is in a permission matrix (issue 14).

Walks the URL resolver (namespaces included) and the OpenAPI schema of `config/api.py`, and
fails naming each route that no `tests/**/test_*permission_matrix*.py` module declares in its
`COVERED_URL_NAMES` / `COVERED_API_OPERATIONS` (see `tests/matrix.py`)."""

import importlib
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api

TESTS = Path(__file__).parent

# Routes that are not views of ours, kept out of the matrices on purpose:
EXCLUDED_NAMESPACES = {
    # Django's own admin site ("admin-technique/"): reserved to `is_staff` accounts, outside the
    # membership model the matrices describe.
    "admin",
    # The JSON API's URL names: its operations are checked below, from the OpenAPI schema.
    "api",
}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def _html_url_names():
    names = set(_url_names(get_resolver().url_patterns))
    return {name for name in names if name.split(":")[0] not in EXCLUDED_NAMESPACES}


def _api_operations():
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, item in paths.items() for method in item}


def _matrix_modules():
    for path in sorted(TESTS.glob("**/test_*permission_matrix*.py")):
        dotted = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        yield dotted, importlib.import_module(dotted)


def _template_regex(path):
    """`/api/v1/people/{person_id}` matches any declared path with a placeholder or a value there."""
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path.rstrip("/"))) + "/?$")


def _declared():
    names, operations, silent = set(), set(), []
    for dotted, module in _matrix_modules():
        if not hasattr(module, "COVERED_URL_NAMES") and not hasattr(module, "COVERED_API_OPERATIONS"):
            silent.append(dotted)
        names |= set(getattr(module, "COVERED_URL_NAMES", ()))
        operations |= set(getattr(module, "COVERED_API_OPERATIONS", ()))
    return names, operations, silent


def test_every_matrix_module_declares_what_it_covers():
    silent = _declared()[2]
    assert not silent, f"Matrix modules without COVERED_URL_NAMES / COVERED_API_OPERATIONS: {silent}"


def test_every_url_name_is_in_a_permission_matrix():
    missing = sorted(_html_url_names() - _declared()[0])
    assert not missing, f"{len(missing)} URL names in no permission matrix:\n" + "\n".join(missing)


def test_every_declared_url_name_exists():
    unknown = sorted(_declared()[0] - _html_url_names())
    assert not unknown, f"Declared but not routed: {unknown}"


def _covering(operation, declared):
    method, template = operation
    regex = _template_regex(template)
    return [path for declared_method, path in declared if declared_method == method and regex.match(path.split("?")[0])]


def test_every_api_operation_is_in_a_permission_matrix():
    declared = _declared()[1]
    missing = sorted(operation for operation in _api_operations() if not _covering(operation, declared))
    lines = [f"{method} {path}" for method, path in missing]
    assert not missing, f"{len(missing)} API operations in no permission matrix:\n" + "\n".join(lines)


def test_every_declared_api_operation_exists():
    schema = [(method, _template_regex(path)) for method, path in _api_operations()]
    declared = _declared()[1]
    unknown = [op for op in declared if not any(m == op[0] and regex.match(op[1].split("?")[0]) for m, regex in schema)]
    assert not unknown, f"Declared but not in the OpenAPI schema: {sorted(unknown)}"


def test_the_walk_sees_nested_namespaces_and_the_schema():
    """The walk must find the routes it guards, or every check above would pass on nothing."""
    names = _html_url_names()
    assert {"people:sensitive_access", "people:leave", "core:privacy"} <= names
    assert len(names) > 200
    assert ("GET", "/api/v1/people/{person_id}") in _api_operations()
    assert _template_regex("/api/v1/people/{person_id}").match("/api/v1/people/{person}")
    assert not _template_regex("/api/v1/people/{person_id}").match("/api/v1/people/{person}/team")
