"""Indicators API: the catalogue's values for the token's structure (within its territory), with
the national value beside — the same computation as the pages and the CSV export. A token of a
structure without territory (national level) reads any territory, or the national values."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from spie.pathways.enums import PathwayType
from spie.territories.models import Territory

from . import catalogue, reports
from .forms import MONTH

router = Router(tags=["Évaluation et indicateurs"])


class IndicatorFilters(Schema):
    territoire: str | None = None
    type_parcours: str | None = None
    mois_entree: str | None = None
    du: datetime.date | None = None
    au: datetime.date | None = None


class IndicatorOut(Schema):
    code: str
    libelle: str
    theme: str
    unite: str
    valeur: Decimal | None
    calculable: bool
    numerateur: int | None
    denominateur: int | None
    cible: Decimal | None
    valeur_nationale: Decimal | None
    indicateur_de_delai: bool
    cohortes_mures_jusqu_au: datetime.date | None
    filtres_non_appliques: list[str]


class IndicatorsOut(Schema):
    perimetre: str
    calcule_le: datetime.date
    periode_du: datetime.date
    periode_au: datetime.date
    indicateurs: list[IndicatorOut]


class DefinitionOut(Schema):
    code: str
    libelle: str
    theme: str
    unite: str
    definition: str
    dates: str
    numerateur: str
    denominateur: str
    indicateur_de_delai: bool


def _cleaned(params):
    cleaned = {"du": params.du, "au": params.au}
    if params.type_parcours:
        if params.type_parcours not in PathwayType.values:
            raise HttpError(400, f"type_parcours : valeur inconnue (valeurs : {', '.join(PathwayType.values)}).")
        cleaned["type_parcours"] = params.type_parcours
    if params.mois_entree:
        match = MONTH.match(params.mois_entree)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise HttpError(400, "mois_entree : format AAAA-MM attendu, par exemple 2026-03.")
        cleaned["mois_entree"] = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    if params.du and params.au and params.du > params.au:
        raise HttpError(400, "au : la fin de la période doit suivre son début.")
    return cleaned


def _scope(request, code):
    organisation = request.auth.organisation
    if organisation.territory_id is None:
        territory = get_object_or_404(Territory, code=code) if code else None
        return reports.Scope(territory=territory)
    if code and code != organisation.territory.code:
        raise HttpError(404, "Territoire introuvable pour ce jeton.")
    return reports.Scope(territory=organisation.territory, organisation=organisation)


@router.get("/indicators", response=IndicatorsOut, summary="Indicateurs (périmètre du jeton, filtres)")
def indicators(request, params: Query[IndicatorFilters]):
    scope = _scope(request, params.territoire)
    filters = reports.build_filters(scope, _cleaned(params), timezone.localdate())
    rows = reports.rows_for(scope, filters)
    return {
        "perimetre": scope.label,
        "calcule_le": filters.today,
        "periode_du": filters.period_start,
        "periode_au": filters.period_end,
        "indicateurs": [
            {
                "code": row.indicator.code,
                "libelle": row.indicator.label,
                "theme": row.indicator.theme,
                "unite": row.indicator.unit,
                "valeur": row.measure.value,
                "calculable": row.measure.calculable,
                "numerateur": row.measure.numerator,
                "denominateur": row.measure.denominator,
                "cible": row.target,
                "valeur_nationale": row.national.value if row.national else None,
                "indicateur_de_delai": row.indicator.is_delay,
                "cohortes_mures_jusqu_au": row.mature_until,
                "filtres_non_appliques": row.ignored_filters,
            }
            for row in rows
        ],
    }


@router.get("/definitions", response=list[DefinitionOut], summary="Définitions des indicateurs")
def definitions(request):
    return [
        {
            "code": i.code,
            "libelle": i.label,
            "theme": i.theme,
            "unite": i.unit,
            "definition": i.definition,
            "dates": i.dates,
            "numerateur": i.numerator,
            "denominateur": i.denominator,
            "indicateur_de_delai": i.is_delay,
        }
        for i in catalogue.INDICATORS
    ]
