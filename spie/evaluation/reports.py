"""What the pages, the CSV exports and the API show: the catalogue's indicators with their value,
numerator and denominator, target, national value and maturity, all from `compute`."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache

from spie.accounts.models import Organisation
from spie.territories.models import Territory

from . import catalogue, compute
from .forms import default_period

# The national values beside a territory's are the same for every reader: kept a few minutes so
# that a territory page does not recompute the whole country.
NATIONAL_CACHE_SECONDS = 600


@dataclass(frozen=True)
class Scope:
    """Who is counted: every territory (territory None), one territory, or one structure of it."""

    territory: Territory | None = None
    organisation: Organisation | None = None

    @property
    def label(self):
        if self.organisation is not None:
            return f"{self.organisation.name} ({self.territory.name})"
        if self.territory is not None:
            return self.territory.name
        return "Ensemble national"


@dataclass(frozen=True)
class Row:
    indicator: catalogue.Indicator
    measure: compute.Measure
    national: compute.Measure | None
    target: object
    mature_until: datetime.date | None
    maturity_text: str
    ignored_filters: list = field(default_factory=list)

    @property
    def meets_target(self):
        if self.target is None or not self.measure.calculable or self.indicator.higher_is_better is None:
            return None
        if self.indicator.higher_is_better:
            return self.measure.value >= self.target
        return self.measure.value <= self.target


def build_filters(scope, cleaned, today):
    start, end = default_period(today)
    return compute.Filters(
        today=today,
        territory_ids=(scope.territory.pk,) if scope.territory is not None else None,
        organisation_id=scope.organisation.pk if scope.organisation is not None else None,
        pathway_type=cleaned.get("type_parcours") or "",
        entry_month=cleaned.get("mois_entree"),
        period_start=cleaned.get("du") or start,
        period_end=cleaned.get("au") or end,
    )


def national_values(filters):
    national = filters.national()
    key = "evaluation:national:" + hashlib.sha256(repr(national).encode()).hexdigest()
    values = cache.get(key)
    if values is None:
        values = compute.values_for(compute.compute(national), compute.TOTAL)
        cache.set(key, values, NATIONAL_CACHE_SECONDS)
    return values


def rows_for(scope, filters, results=None):
    """One row per indicator of the catalogue for `scope`, with the national value beside
    (`results`: the scope's computation when the caller has it already)."""
    national = national_values(filters)
    if scope.territory is None:
        values, beside = national, None
    else:
        values = compute.values_for(compute.compute(filters) if results is None else results, compute.TOTAL)
        beside = national
    policies = compute.Policies((scope.territory.pk,) if scope.territory else ())
    policy = policies.for_territory(scope.territory.pk) if scope.territory else policies.default
    active = filters.active_dimensions()
    rows = []
    for indicator in catalogue.INDICATORS:
        mature_until, maturity_text = None, ""
        if indicator.maturity is not None:
            mature_until = indicator.maturity.mature_until(policy, filters.today)
            maturity_text = indicator.maturity.describe(policy)
            if scope.territory is None:
                maturity_text += " (délais propres à chaque territoire)"
        rows.append(
            Row(
                indicator=indicator,
                measure=values[indicator.code],
                national=beside[indicator.code] if beside else None,
                target=indicator.target_for(policy),
                mature_until=mature_until,
                maturity_text=maturity_text,
                ignored_filters=[catalogue.DIMENSIONS[name] for name in sorted(active - indicator.dimensions)],
            )
        )
    return rows


MONTHLY_CODES = ("delai_orientation", "orientation_dans_le_delai", "contrat_dans_le_mois", "taux_absence")


def monthly(results):
    """The pathway indicators per month of entry (cohorts) of the period, oldest first, from the
    results of `compute(…, group="entry_month")`."""
    months = sorted(key for key in results if key is not None)
    indicators = [catalogue.BY_CODE[code] for code in MONTHLY_CODES]
    empty = compute.values_for({}, None)
    return [
        (month, [(indicator, results[month].get(indicator.code, empty[indicator.code])) for indicator in indicators])
        for month in months
    ]


def comparison(filters, codes):
    """National page: per cohort of territories, each territory's values, then the cohort's, and
    the national values, from one computation grouped by territory."""
    territories = list(Territory.objects.select_related("cohort").order_by("cohort__year", "cohort__code", "name"))
    levels = compute.compare(filters)
    by_territory, by_cohort = levels["territory"], levels["cohort"]
    national = compute.values_for(levels[compute.TOTAL], compute.TOTAL)
    cohorts = []
    for territory in territories:
        if not cohorts or cohorts[-1]["cohort"].pk != territory.cohort_id:
            values = compute.values_for(by_cohort, territory.cohort_id)
            cohorts.append({"cohort": territory.cohort, "values": _pairs(values, codes), "territories": []})
        values = compute.values_for(by_territory, territory.pk)
        cohorts[-1]["territories"].append({"territory": territory, "values": _pairs(values, codes)})
    return cohorts, _pairs(national, codes)


def _pairs(values, codes):
    return [(catalogue.BY_CODE[code], values[code]) for code in codes]


def format_value(measure, indicator):
    """French text of a value: « 12,5 % », « 18 jours », « non calculable »."""
    if measure is None:
        return ""
    if not measure.calculable:
        return "non calculable"
    number = f"{measure.value:,.1f}" if indicator.unit not in ("nombre", "€") else f"{measure.value:,.0f}"
    number = number.replace(",", "\u202f").replace(".", ",")
    if number.endswith(",0"):
        number = number[:-2]
    unit = {"%": " %", "jours": " jours", "€": " €", "ratio": "", "nombre": "", "score": " / 5"}[indicator.unit]
    if indicator.unit == "jours" and measure.value <= 1:
        unit = " jour"
    return number + unit


def csv_number(value):
    if value is None:
        return ""
    return str(value).replace(".", ",")
