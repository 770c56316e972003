"""The API keeps its contract: schemathesis sends a few generated requests to every operation of
/api/v1/openapi.json (built in-process) with a structure's token, and each answer must be JSON, no
5xx, with a documented status code and a body that matches the documented schema.

Each operation gets three kinds of cases: valid input addressing the objects of a small seeded
dataset (so that successful answers are checked, not only 404s), valid input with random ids, and
invalid input. Deterministic: derandomized Hypothesis, no example database, no deadline."""

import collections
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
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.exchanges import services as exchange_services
from spie.personspace.models import ApiSession, LoginSecret
from tests.casereviews.helpers import referred
from tests.companies.factories import CompanyFactory
from tests.diagnostics.helpers import actor, validated
from tests.exchanges.conftest import event_data
from tests.exchanges.factories import register
from tests.offers.factories import make_offer
from tests.studies.factories import evaluation

PARIS_NOON = datetime.datetime(2026, 11, 16, 11, 0, tzinfo=datetime.UTC)
EXAMPLES_PER_KIND = 2
MIN_OPERATIONS_ANSWERING_OK = 55
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_KIND,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261116,
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": EXAMPLES_PER_KIND,
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


def _operations():
    for result in schema.get_all_operations():
        yield result.ok()


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


def _seed(*, person, conseiller, coordinator):
    """A diagnostic, an offer, a company, a joint event with a registration, a referred case and a
    published participatory evaluation, made through the real services where there is one."""
    territory = person.territory
    diagnostic = validated(person, conseiller)
    event = exchange_services.publish_event(data=event_data(), by=actor(coordinator))
    registration = register(event, conseiller)
    return {
        "diagnostic_id": diagnostic.public_id,
        "offer_id": make_offer(name="Aide au permis de conduire").public_id,
        "company_id": CompanyFactory(
            name="Boulangerie du Nord", territory=territory, commune=territory.departements.get().communes.first()
        ).public_id,
        "event_id": event.public_id,
        "registration_id": registration.public_id,
        "case_id": referred(person, conseiller).public_id,
        "evaluation_id": evaluation(territory, published=True).public_id,
    }


@pytest.fixture
def dataset(frozen_clock, gestionnaire, ft_lille, camille, pathway, rdv, draft_contract, conseiller, coordinator):
    """A structure's token, a person's token and the public ids of seeded objects by path
    parameter name."""
    actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
    _, structure_token = account_services.create_api_token(organisation=ft_lille, name="Contrat d'API", by=actor)
    person_token = secrets.token_urlsafe(24)
    ApiSession.objects.create(
        person=camille,
        territory=camille.territory,
        token_hash=LoginSecret.hash(person_token),
        expires_at=timezone.now() + datetime.timedelta(hours=4),
    )
    ids = {
        "organisation_id": ft_lille.public_id,
        "code": ft_lille.territory.code,
        "person_id": camille.public_id,
        "appointment_id": rdv.public_id,
        "contract_id": draft_contract.public_id,
        **_seed(person=camille, conseiller=conseiller, coordinator=coordinator),
    }
    return {"OrganisationToken": structure_token, "PersonToken": person_token}, {k: str(v) for k, v in ids.items()}


def _headers(operation, tokens):
    for requirement in operation.definition.raw.get("security") or []:
        for scheme in requirement:
            return {"Authorization": f"Bearer {tokens[scheme]}"}
    return {}


def _strategies(operation, known_ids):
    """Positive cases addressing seeded objects, positive cases with random ids, negative cases."""
    path_names = {parameter.name for parameter in operation.path_parameters}
    known = {name: value for name, value in known_ids.items() if name in path_names}
    yield "seeded", operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known)
    if known or operation.query or operation.body or path_names:
        yield "random", operation.as_strategy(GenerationMode.POSITIVE)
        yield "negative", operation.as_strategy(GenerationMode.NEGATIVE)


def _run(kind, strategy, headers, app, statuses):
    """A few cases of `strategy` sent to `app`; each answer checked against the schema."""

    @hypothesis.given(case=strategy)
    @SETTINGS
    def check(case):
        ApiSession.objects.update(revoked_at=None)  # POST /me/logout must not end the other cases' session
        response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    try:
        check()
    except hypothesis.errors.Unsatisfiable:
        if kind != "negative":
            raise  # an operation whose inputs are all free strings has no invalid value to send


def test_every_operation_keeps_its_contract(dataset, wsgi_app):
    tokens, known_ids = dataset
    statuses = collections.defaultdict(collections.Counter)
    failures = []
    operations = list(_operations())
    for operation in operations:
        headers = _headers(operation, tokens)
        for kind, strategy in _strategies(operation, known_ids):
            try:
                _run(kind, strategy, headers, wsgi_app, statuses[operation.label])
            except (Exception, FailureGroup) as error:  # every operation is checked; failures reported at the end
                failures.append(f"{operation.label} ({kind}): {error}")
    assert not failures, f"{len(failures)} contract failure(s):\n\n" + "\n\n".join(failures)
    assert len(operations) >= 87
    answered_ok = [label for label, counts in statuses.items() if any(200 <= code < 300 for code in counts)]
    print(
        f"{len(operations)} operations, {sum(sum(c.values()) for c in statuses.values())} requests, "
        f"{len(answered_ok)} operations answered 2xx at least once"
    )
    for label, counts in statuses.items():
        print(label, dict(counts))
    assert len(answered_ok) >= MIN_OPERATIONS_ANSWERING_OK, sorted(set(statuses) - set(answered_ok))


def test_the_contract_check_catches_an_answer_that_does_not_match_the_schema(dataset, wsgi_app):
    tokens, known_ids = dataset
    document = api.get_openapi_schema()
    organisation = document["components"]["schemas"]["OrganisationOut"]
    organisation["properties"]["inexistant"] = {"type": "string"}
    organisation["required"].append("inexistant")
    operation = schemathesis.openapi.from_dict(document, config=CONFIG)["/api/v1/organisations/{organisation_id}"][
        "GET"
    ]
    strategy = operation.as_strategy(path_parameters={"organisation_id": known_ids["organisation_id"]})
    with pytest.raises(FailureGroup) as caught:
        _run("seeded", strategy, _headers(operation, tokens), wsgi_app, collections.Counter())
    assert caught.group_contains(JsonSchemaError, match="Response violates schema")
