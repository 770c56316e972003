"""Indicator pages: a territory's (or structure's, or the country's) catalogue with its chart and
CSV export, the national comparison of territories and cohorts, and the definitions."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from spie.accounts.actors import Actor
from spie.accounts.models import Organisation
from spie.core.lists import csv_response
from spie.territories.budget import national_budget_by_year
from spie.territories.models import Territory

from . import catalogue, charts, compute, perms, reports, services
from .forms import IndicatorFilterForm

CSV_HEADER = [
    "code",
    "indicateur",
    "thème",
    "unité",
    "valeur",
    "numérateur",
    "dénominateur",
    "cible",
    "valeur nationale",
    "cohortes mûres jusqu'au",
    "filtres non appliqués",
]


def _scope_and_form(request):
    """The filter form and the scope it selects, within what the reader may see (404 outside)."""
    membership = request.membership
    kind = perms.indicators_scope(membership)
    if kind is None:
        raise PermissionDenied
    territories = None
    if kind == "national":
        territories = list(Territory.objects.order_by("name").values_list("code", "name"))
    territory = membership.organisation.territory if kind != "national" else None
    code = request.GET.get("territoire") if kind == "national" else None
    if code:
        territory = get_object_or_404(Territory, code=code)
    structures = None
    if kind == "territoire" or (kind == "national" and territory is not None):
        structures = [
            (str(o.public_id), o.name)
            for o in Organisation.objects.filter(territory=territory, is_active=True).order_by("name")
        ]
    form = IndicatorFilterForm(request.GET or None, territories=territories, structures=structures)
    cleaned = _valid_filters(form)
    organisation = None
    if kind == "structure":
        organisation = membership.organisation
    elif cleaned.get("structure"):
        organisation = get_object_or_404(Organisation, public_id=cleaned["structure"], territory=territory)
    return reports.Scope(territory=territory, organisation=organisation), form, cleaned


def _valid_filters(form):
    """The filters that are valid (an invalid one is shown with its error and left out)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def _studies_url(territory):
    if territory is None:
        return None
    try:
        return reverse("studies:territory_evaluations", args=[territory.code])
    except NoReverseMatch:
        return None


def indicators(request):
    scope, form, cleaned = _scope_and_form(request)
    filters = reports.build_filters(scope, cleaned, timezone.localdate())
    if scope.territory is None:
        rows, months = reports.rows_for(scope, filters), []
    else:
        results = compute.compute_with_months(filters)
        rows = reports.rows_for(scope, filters, results[compute.TOTAL])
        months = reports.monthly(results["entry_month"])
    by_code = {row.indicator.code: row for row in rows}
    orientation = by_code["delai_orientation"]
    chart = charts.horizontal_bars(
        [
            (
                f"{month:%m/%Y}",
                values[0][1].value,
                reports.format_value(values[0][1], orientation.indicator),
            )
            for month, values in months
        ],
        target=orientation.target,
    )
    context = {
        "form": form,
        "scope": scope,
        "filters": filters,
        "themes": [(theme, [by_code[i.code] for i in items]) for theme, items in catalogue.by_theme()],
        "months": months,
        "monthly_indicators": [catalogue.BY_CODE[code] for code in reports.MONTHLY_CODES],
        "chart": chart,
        "orientation": orientation,
        "can_compare": perms.can_compare_territories(request.membership),
        "studies_url": _studies_url(scope.territory),
    }
    return render(request, "evaluation/indicators.html", context)


def export(request):
    scope, form, cleaned = _scope_and_form(request)
    filters = reports.build_filters(scope, cleaned, timezone.localdate())
    rows = reports.rows_for(scope, filters)
    services.record_export(kind="territoire", scope=scope, filters=filters, by=Actor.from_request(request))

    def lines():
        for row in rows:
            indicator = row.indicator
            yield [
                indicator.code,
                indicator.label,
                indicator.theme,
                indicator.unit,
                reports.csv_number(row.measure.value) if row.measure.calculable else "non calculable",
                row.measure.numerator if row.measure.numerator is not None else "",
                row.measure.denominator if row.measure.denominator is not None else "",
                reports.csv_number(row.target),
                _csv_measure(row.national),
                row.mature_until.strftime("%d/%m/%Y") if row.mature_until else "",
                ", ".join(row.ignored_filters),
            ]

    name = scope.territory.code if scope.territory else "national"
    return csv_response(request, f"indicateurs-{name}-{filters.today:%Y%m%d}.csv", CSV_HEADER, lines())


def _csv_measure(measure):
    if measure is None:
        return ""
    return reports.csv_number(measure.value) if measure.calculable else "non calculable"


def national(request):
    if not perms.can_compare_territories(request.membership):
        raise PermissionDenied
    form = IndicatorFilterForm(request.GET or None, with_theme=True)
    cleaned = _valid_filters(form)
    filters = reports.build_filters(reports.Scope(), cleaned, timezone.localdate())
    theme = catalogue.THEMES[int(cleaned.get("theme") or 0)]
    codes = [i.code for i in catalogue.INDICATORS if i.theme == theme]
    cohorts, national_values = reports.comparison(filters, codes)
    if request.GET.get("format") == "csv":
        return _national_csv(request, filters, cohorts, national_values, codes)
    indicators = [catalogue.BY_CODE[code] for code in codes]
    first = indicators[0]
    chart = charts.horizontal_bars(
        [
            (item["territory"].name, item["values"][0][1].value, reports.format_value(item["values"][0][1], first))
            for cohort in cohorts
            for item in cohort["territories"]
        ],
        target=first.target_for(compute.default_policy()),
    )
    context = {
        "form": form,
        "filters": filters,
        "theme": theme,
        "indicators": indicators,
        "cohorts": cohorts,
        "national_values": national_values,
        "chart": chart,
        "first": first,
        "budgets": national_budget_by_year(),
    }
    return render(request, "evaluation/national.html", context)


def _national_csv(request, filters, cohorts, national_values, codes):
    services.record_export(kind="national", scope=reports.Scope(), filters=filters, by=Actor.from_request(request))
    header = ["cohorte", "territoire", *[catalogue.BY_CODE[code].label for code in codes]]

    def lines():
        for cohort in cohorts:
            for item in cohort["territories"]:
                yield [cohort["cohort"].name, item["territory"].name, *[_csv_measure(v) for _, v in item["values"]]]
            yield [cohort["cohort"].name, "Ensemble de la cohorte", *[_csv_measure(v) for _, v in cohort["values"]]]
        yield ["", "Ensemble national", *[_csv_measure(v) for _, v in national_values]]

    return csv_response(request, f"indicateurs-territoires-{filters.today:%Y%m%d}.csv", header, lines())


def definitions(request):
    if not perms.can_read_definitions(request.membership):
        raise PermissionDenied
    context = {
        "themes": catalogue.by_theme(),
        "can_view": perms.can_view_indicators(request.membership),
        "can_compare": perms.can_compare_territories(request.membership),
    }
    return render(request, "evaluation/definitions.html", context)


def definition(request, code):
    if not perms.can_read_definitions(request.membership):
        raise PermissionDenied
    indicator = catalogue.BY_CODE.get(code)
    if indicator is None:
        raise Http404
    policy = compute.default_policy()
    context = {
        "indicator": indicator,
        "target": indicator.target_for(policy),
        "maturity": indicator.maturity.describe(policy) if indicator.maturity else "",
        "dimensions": [label for name, label in catalogue.DIMENSIONS.items() if name in indicator.dimensions],
        "can_view": perms.can_view_indicators(request.membership),
    }
    return render(request, "evaluation/definition.html", context)
