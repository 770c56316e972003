"""The JSON API under /api/v1/: one router per app, errors as French JSON messages."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from spie.accounts.api_auth import OrganisationToken
from spie.core.api import ErreurApi, refusing_nul_characters
from spie.core.errors import DomainError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="API de la plateforme SPIE",
    version="1.0.0",
    description=(
        "API de la plateforme du Service public de l'insertion et de l'emploi. "
        "Chaque structure obtient ses jetons auprès de son gestionnaire ; les données renvoyées "
        "sont limitées à ce que la structure peut voir."
    ),
    urls_namespace="api",
    auth=OrganisationToken(),
    docs_decorator=login_required,
)


def _field_name(location):
    parts = [str(part) for part in location if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "requête"


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = [{"champ": _field_name(error.get("loc", ())), "message": _french(error)} for error in exc.errors]
    return api.create_response(
        request,
        {"message": "Certaines données envoyées ne sont pas valables.", "erreurs": errors},
        status=422,
    )


def _french(error):
    kind = error.get("type", "")
    messages = {
        "missing": "Ce champ est obligatoire.",
        "uuid_parsing": "Identifiant invalide (UUID attendu).",
        "int_parsing": "Nombre entier attendu.",
        "date_from_datetime_parsing": "Date invalide (AAAA-MM-JJ attendu).",
        "date_parsing": "Date invalide (AAAA-MM-JJ attendu).",
        "string_too_short": "Valeur trop courte.",
        "string_too_long": "Valeur trop longue.",
        "greater_than_equal": "Valeur trop petite.",
        "less_than_equal": "Valeur trop grande.",
        "json_invalid": "Le corps de la requête n'est pas un JSON valable.",
        "nul_character": "Le caractère nul n'est pas accepté.",
    }
    return messages.get(kind, "Valeur invalide.")


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(request, {"message": "Jeton d'API absent, invalide ou révoqué."}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"message": exc.message}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": "Ressource introuvable."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"message": "Action non autorisée pour cette structure."}, status=403)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return api.create_response(request, {"message": exc.message, "champ": exc.field}, status=400)


@api.exception_handler(SuspiciousOperation)
def bad_request(request, exc):
    """A request Django refuses (body too large, too many fields…): 400, as Django answers."""
    return api.create_response(request, {"message": "Requête invalide."}, status=400)


@api.exception_handler(Exception)
def unexpected_error(request, exc):
    """Last resort: an unexpected error still answers JSON (and is logged with its traceback)."""
    logger.exception("Unexpected API error on %s %s", request.method, request.path)
    return api.create_response(request, {"message": "Erreur interne du serveur, réessayez plus tard."}, status=500)


def _nul_character(request, field):
    return validation_error(request, ValidationError([{"loc": ("query", field), "type": "nul_character"}]))


api.add_decorator(refusing_nul_characters(_nul_character), mode="view")


def _register_routers():
    from spie.accounts.api import router as organisations
    from spie.casereviews.api import router as casereviews
    from spie.companies.api import router as companies
    from spie.diagnostics.api import router as diagnostics
    from spie.evaluation.api import router as evaluation
    from spie.exchanges.api import router as exchanges
    from spie.offers.api import router as offers
    from spie.onboarding.api import router as onboarding
    from spie.pathways.api import router as pathways
    from spie.people.api import router as people
    from spie.personspace.api import router as personspace
    from spie.questionnaires.api import router as questionnaires
    from spie.referentials.api import router as referentials
    from spie.studies.api import router as studies
    from spie.territories.api import router as territories

    api.add_router("/organisations", organisations)
    api.add_router("/territories", territories)
    api.add_router("/referentials", referentials)
    api.add_router("/people", people)
    api.add_router("/diagnostics", diagnostics)
    api.add_router("/pathways", pathways)
    api.add_router("/offers", offers)
    api.add_router("/companies", companies)
    api.add_router("/onboarding", onboarding)
    api.add_router("/case-reviews", casereviews)
    api.add_router("/exchanges", exchanges)
    api.add_router("/me", personspace)
    api.add_router("/questionnaires", questionnaires)
    api.add_router("/evaluation", evaluation)
    api.add_router("/studies", studies)


# Every operation documents the error answers it can give, all with the one error schema: bad
# input (400 business rule, 422 validation), missing token (401), refused (403), not found (404).
ERROR_STATUSES = (400, 401, 403, 404, 422)


def _document_errors():
    for _prefix, router, *_ in api._router_registrations:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for status in ERROR_STATUSES:
                    if status == 401 and operation.auth_param is None:
                        continue
                    operation.response_models.setdefault(status, operation._create_response_model(ErreurApi))


_register_routers()
_document_errors()
