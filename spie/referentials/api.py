"""Referentials in the API: the pathway referential (current version by default), ROME, communes."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from spie.core.api import LimitOffsetPagination
from spie.core.errors import DomainError
from spie.territories.models import Commune

from .fields import SEPARATOR, commune_code_from_text, rome_code_from_text
from .models import Action, Objective, ReferentialVersion, RomeJob, Situation, Theme

router = Router(tags=["Référentiels"])

MAX_LIMIT = 500  # a larger `limit` is cut to this

QUERY = Query("", max_length=100, description="Texte recherché (accents et majuscules ignorés).")
VERSION = Query(None, max_length=20, description="Version du référentiel (par défaut : celle en vigueur).")
THEME = Query(None, max_length=60, description="Code du thème (par exemple « logement »).")


class ThemeOut(Schema):
    code: str
    libelle: str = Field(alias="label")
    famille: str = Field(alias="family")
    famille_libelle: str = Field(alias="get_family_display")
    ordre: int = Field(alias="position")


class ThemeItemOut(Schema):
    code: str
    libelle: str = Field(alias="label")
    theme: str = Field(alias="theme.code")
    ordre: int = Field(alias="position")


class RomeJobOut(Schema):
    code: str
    libelle: str = Field(alias="label")
    domaine_professionnel: str = Field(alias="domain.code")
    domaine_professionnel_libelle: str = Field(alias="domain.label")
    grand_domaine: str = Field(alias="domain.parent.code")


class CommuneOut(Schema):
    code_insee: str = Field(alias="insee_code")
    nom: str = Field(alias="name")
    codes_postaux: list[str] = Field(alias="postal_code_list")
    departement: str = Field(alias="departement.code")
    epci: str | None = None
    population: int | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_epci(commune):
        return commune.epci.siren if commune.epci_id else None


def _version(code):
    """The requested version, or the current one; an unknown code is a 400 naming the field."""
    if code:
        version = ReferentialVersion.objects.filter(code=code).first()
        if version is None:
            raise DomainError(f"Version du référentiel inconnue : « {code} ».", field="version")
        return version
    version = ReferentialVersion.objects.current()
    if version is None:
        raise DomainError("Aucune version du référentiel n'est en vigueur.", field="version")
    return version


def _items(model, version_code, theme_code):
    version = _version(version_code)
    queryset = model.objects.filter(version=version).select_related("theme").order_by("position")
    if theme_code:
        if not Theme.objects.filter(version=version, code=theme_code).exists():
            raise DomainError(f"Thème inconnu dans la version {version.code} : « {theme_code} ».", field="theme")
        queryset = queryset.filter(theme__code=theme_code)
    return list(queryset)


@router.get("/themes", response=list[ThemeOut], summary="Thèmes du référentiel du parcours")
def list_themes(request, version: str | None = VERSION):
    return list(Theme.objects.filter(version=_version(version)).order_by("position"))


@router.get("/situations", response=list[ThemeItemOut], summary="Situations du référentiel du parcours")
def list_situations(request, version: str | None = VERSION, theme: str | None = THEME):
    return _items(Situation, version, theme)


@router.get("/objectives", response=list[ThemeItemOut], summary="Objectifs du référentiel du parcours")
def list_objectives(request, version: str | None = VERSION, theme: str | None = THEME):
    return _items(Objective, version, theme)


@router.get("/actions", response=list[ThemeItemOut], summary="Actions du référentiel du parcours")
def list_actions(request, version: str | None = VERSION, theme: str | None = THEME):
    return _items(Action, version, theme)


@router.get("/rome", response=list[RomeJobOut], summary="Métiers ROME (recherche par libellé, appellation ou code)")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_rome(request, q: str = QUERY):
    queryset = RomeJob.objects.select_related("domain__parent").order_by("code")
    query = q.strip()
    code = rome_code_from_text(query) if SEPARATOR in query else None
    if code:
        return queryset.filter(code=code)
    return queryset.search(query) if query else queryset


@router.get("/communes", response=list[CommuneOut], summary="Communes (recherche par nom ou code postal)")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_communes(
    request,
    q: str = QUERY,
    departement: str | None = Query(None, max_length=3, description="Code du département (« 59 »)."),
):
    queryset = Commune.objects.select_related("departement", "epci").order_by("search_name", "insee_code")
    query = q.strip()
    code = commune_code_from_text(query) if SEPARATOR in query else None
    if code:
        queryset = queryset.filter(insee_code=code)
    elif query:
        queryset = queryset.search(query)
    if departement:
        queryset = queryset.filter(departement__code=departement)
    return queryset
