"""Every answer of the API is JSON, errors included, and the OpenAPI document tells the truth about
each operation's answers."""

import logging

import pytest
from django.http import HttpResponse
from ninja.constants import NOT_SET
from ninja.schema import NinjaGenerateJsonSchema

from config.api import api
from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.api import MAX_OFFSET

ERROR_BODY = {"type": "object", "required": ["message"]}


@pytest.fixture
def token(gestionnaire, ft_lille):
    actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
    return account_services.create_api_token(organisation=ft_lille, name="Logiciel", by=actor)[1]


def _get(client, path, token, **params):
    return client.get(path, params, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("path", ["/api/v1/organisations", "/api/v1/offers", "/api/v1/people/"])
def test_a_nul_character_in_q_is_a_french_422(client, token, path):
    response = _get(client, path, token, q="Mar\x00tin")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "message": "Certaines données envoyées ne sont pas valables.",
        "erreurs": [{"champ": "q", "message": "Le caractère nul n'est pas accepté."}],
    }


def test_a_nul_character_in_a_json_body_is_a_french_422(client):
    response = client.post(
        "/api/v1/me/login/request", {"identifiant": "camille\x00@exemple.fr"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["erreurs"] == [{"champ": "identifiant", "message": "Le caractère nul n'est pas accepté."}]


@pytest.mark.parametrize("offset", [MAX_OFFSET + 1, 10**30])
@pytest.mark.parametrize("path", ["/api/v1/organisations", "/api/v1/territories", "/api/v1/referentials/rome"])
def test_a_huge_offset_is_a_french_422(client, token, path, offset):
    response = _get(client, path, token, offset=offset)
    assert response.status_code == 422
    assert response.json()["erreurs"] == [{"champ": "offset", "message": "Valeur trop grande."}]


@pytest.mark.parametrize("params", [{"offset": 10**30}, {"offset": -1}, {"limit": 0}])
def test_offer_search_refuses_out_of_range_pages_in_french(client, token, params):
    response = _get(client, "/api/v1/offers", token, **params)
    assert response.status_code == 422
    assert response.json()["message"].startswith("« limit » doit être positif")


def test_a_huge_limit_is_a_french_422(client, token):
    response = _get(client, "/api/v1/organisations", token, limit=10**30)
    assert response.status_code == 422
    assert response.json()["erreurs"] == [{"champ": "limit", "message": "Valeur trop grande."}]


def test_an_unknown_api_address_is_a_json_404(client, token):
    response = _get(client, "/api/v1/case-reviews/cases/pas-un-uuid", token)
    assert response.status_code == 404
    assert response.json() == {"message": "Ressource introuvable."}


def test_an_unexpected_error_is_a_logged_json_500(client, token, monkeypatch, caplog):
    from spie.accounts import api as accounts_api

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts_api, "visible_organisations", broken)
    with caplog.at_level(logging.ERROR, logger="config.api"):
        response = _get(client, "/api/v1/organisations", token)
    assert response.status_code == 500
    assert response.json() == {"message": "Erreur interne du serveur, réessayez plus tard."}
    assert "Unexpected API error on GET /api/v1/organisations" in caplog.text


def test_pages_outside_the_api_keep_their_html_error_pages(client_as, conseiller):
    response = client_as(conseiller).get("/personnes/pas-une-page/")
    assert response.status_code == 404
    assert isinstance(response, HttpResponse) and response["Content-Type"].startswith("text/html")


# The OpenAPI document -------------------------------------------------------------------------


def _openapi():
    return api.get_openapi_schema()


def _resolve(node, definitions, prefix):
    """`node` with every `$ref` replaced by its definition (the schemas are not recursive)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(definitions[node["$ref"].removeprefix(prefix)], definitions, prefix)
        return {key: _resolve(value, definitions, prefix) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, definitions, prefix) for item in node]
    return node


def _operations():
    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            yield from path_view.operations


def test_each_documented_response_is_the_schema_the_operation_answers_with():
    """Two schemas of the same name would share one component: one of the operations would then
    document the other's answer (it was so for case-review decisions vs orientation decisions, and
    the person's own pathway/contract/appointments vs the professionals' ones)."""
    document = _openapi()
    components = document["components"]["schemas"]
    by_id = {details["operationId"]: details for item in document["paths"].values() for details in item.values()}
    checked = 0
    for operation in _operations():
        documented = by_id[operation.operation_id or api.get_openapi_operation_id(operation)]["responses"]
        for status, model in operation.response_models.items():
            if model is None or model is NOT_SET:
                continue
            own = model.model_json_schema(
                mode="serialization", by_alias=operation.by_alias, schema_generator=NinjaGenerateJsonSchema
            )
            expected = _resolve(own["properties"]["response"], own.get("$defs", {}), "#/$defs/")
            actual = documented[status]["content"]["application/json"]["schema"]
            assert _resolve(actual, components, "#/components/schemas/") == expected, (operation.view_func, status)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "path, method, field",
    [
        ("/api/v1/case-reviews/cases/{case_id}/decisions", "post", "avis"),
        ("/api/v1/pathways/orientation/decisions", "post", "type_parcours"),
        ("/api/v1/me/pathway", "get", "etape_depuis"),
        ("/api/v1/pathways/people/{person_id}/pathway", "get", "prochain_point_avant"),
    ],
)
def test_formerly_collided_schemas_document_their_own_fields(path, method, field):
    document = _openapi()
    components = document["components"]["schemas"]
    responses = document["paths"][path][method]["responses"]
    success = next(responses[code] for code in ("200", "201", 200, 201) if code in responses)
    schema = _resolve(success["content"]["application/json"]["schema"], components, "#/components/schemas/")
    assert field in schema["properties"]


def test_every_operation_documents_its_error_answers_with_the_one_error_schema():
    document = _openapi()
    error_schema = {"$ref": "#/components/schemas/ErreurApi"}
    operations = [details for item in document["paths"].values() for details in item.values()]
    assert len(operations) >= 87
    for details in operations:
        statuses = set(details["responses"])
        expected = {400, 403, 404, 422} | ({401} if details.get("security") else set())
        assert expected <= statuses, details["operationId"]
        for status in statuses - {200, 201, 202, 204}:
            assert details["responses"][status]["content"]["application/json"]["schema"] == error_schema
    assert set(document["components"]["schemas"]["ErreurApi"]["required"]) == {"message"}


def test_a_request_django_refuses_is_a_json_400(client, token, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = _get(client, "/api/v1/organisations", token, a=1, b=2, c=3, d=4)
    assert response.status_code == 400
    assert response.json() == {"message": "Requête invalide."}
