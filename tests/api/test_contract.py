"""The API keeps its contract: schemathesis sends a few generated requests to every operation of
/api/v1/openapi.json (built in-process) with a structure's token, and each answer must be JSON, no
5xx, with a documented status code and a body that matches the documented schema.

Deterministic: derandomized Hypothesis, no example database, no deadline. Path parameters are
sometimes replaced by the public ids of a small seeded dataset so that successful answers are
checked too, not only 404s."""

import datetime
import secrets

import hypothesis
import pytest
import schemathesis
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from config.api import api
from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.personspace.models import ApiSession, LoginSecret

PARIS_NOON = datetime.datetime(2026, 11, 16, 11, 0, tzinfo=datetime.UTC)
EXAMPLES_PER_OPERATION = 4

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261116,
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
            "no-shrink": True,
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)

# Public ids of the seeded objects, by path parameter name (filled by the `dataset` fixture).
KNOWN_IDS = {}


@schema.hook
def flatmap_path_parameters(ctx, path_parameters):
    """Half of the examples address a seeded object instead of a random id."""
    known = {name: KNOWN_IDS[name] for name in path_parameters or {} if name in KNOWN_IDS}
    if not known:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **known}])


@pytest.fixture
def frozen_clock():
    with time_machine.travel(PARIS_NOON, tick=True):
        yield


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, kept from closing the test's connection between requests (as the
    test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def dataset(frozen_clock, gestionnaire, ft_lille, camille, pathway, rdv, draft_contract):
    actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
    _, structure_token = account_services.create_api_token(organisation=ft_lille, name="Contrat d'API", by=actor)
    person_token = secrets.token_urlsafe(24)
    ApiSession.objects.create(
        person=camille,
        territory=camille.territory,
        token_hash=LoginSecret.hash(person_token),
        expires_at=timezone.now() + datetime.timedelta(hours=4),
    )
    KNOWN_IDS.clear()
    KNOWN_IDS.update(
        {
            "organisation_id": str(ft_lille.public_id),
            "code": ft_lille.territory.code,
            "person_id": str(camille.public_id),
            "appointment_id": str(rdv.public_id),
            "contract_id": str(draft_contract.public_id),
        }
    )
    return {"OrganisationToken": structure_token, "PersonToken": person_token}


def _headers(case, tokens):
    security = case.operation.definition.raw.get("security") or []
    for requirement in security:
        for scheme in requirement:
            return {"Authorization": f"Bearer {tokens[scheme]}"}
    return {}


@schema.parametrize()
@hypothesis.settings(deadline=None, derandomize=True, database=None, max_examples=EXAMPLES_PER_OPERATION)
def test_every_operation_keeps_its_contract(case, dataset, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers=_headers(case, dataset))
