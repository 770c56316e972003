"""Pieces shared by every router of the JSON API: the one error schema, bounded pagination and the
refusal of NUL characters (PostgreSQL cannot store them; they are never meaningful input)."""

import json
from functools import wraps

from django.http import JsonResponse
from ninja import Field, Schema
from ninja import pagination as ninja_pagination

# Beyond these, a page request is refused with a French 422 (a larger offset only overflows the
# database's integers: no list of the platform is that long).
MAX_LIMIT = 10_000
MAX_OFFSET = 100_000_000


class ErreurDeChamp(Schema):
    champ: str = Field(description="Nom du champ en cause (« requête » pour la requête entière)")
    message: str


class ErreurApi(Schema):
    """The body of every error answer of the API."""

    message: str = Field(description="Message en français, sans donnée personnelle")
    champ: str | None = Field(None, description="Champ en cause d'une règle métier refusée")
    erreurs: list[ErreurDeChamp] | None = Field(None, description="Détail des données non valables (422)")


class LimitOffsetPagination(ninja_pagination.LimitOffsetPagination):
    """django-ninja's limit/offset pagination with bounds, so that a huge offset is a 422, not a 500."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def nul_character_field(request):
    """The name of the first query parameter or JSON body field holding a NUL character, or None."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "") or "requête"
    if request.content_type == "application/json" and request.body:
        try:
            return _nul_in_json(json.loads(request.body), "")
        except ValueError:
            return None  # not JSON: the operation's own validation answers
    return None


def _nul_in_json(value, path):
    if isinstance(value, str):
        return (path or "requête") if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        name = f"{path}.{key}" if path else str(key)
        if "\x00" in str(key):
            return path or "requête"
        found = _nul_in_json(item, name)
        if found:
            return found
    return None


def refusing_nul_characters(on_nul):
    """A "view" decorator for NinjaAPI.add_decorator: `on_nul(request, field)` answers a request
    whose query or JSON body holds a NUL character, before authentication and parsing."""

    def decorator(run):
        @wraps(run)
        def wrapper(request, *args, **kwargs):
            field = nul_character_field(request)
            if field is not None:
                return on_nul(request, field)
            return run(request, *args, **kwargs)

        return wrapper

    return decorator


def json_error(message, status):
    """An error answer in the API's format, for Django's own error handlers under /api/."""
    return JsonResponse({"message": message}, status=status, json_dumps_params={"ensure_ascii": False})
