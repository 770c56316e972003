"""The one computation layer of the indicators: set-based aggregates over indexed dates, grouped
(national, per territory, per cohort of territories or per month of entry) in a few queries per
family. Pages, CSV exports and the API read the same `Measure` values from here.

Each family reads its tables with one aggregate query per table (conditional counts with
`filter=`) and, for a median, one query counting the rows of each value (a `Distribution`, the
same on PostgreSQL and SQLite). Counts and distributions add up (distinct counts are kept as
sets), so the national comparison reads each family once per territory and sums territories into
cohorts and the country (`compare`), and a territory's page sums its months of entry into its
catalogue (`compute_with_months`). The first accompaniment reads each pathway's first seen
appointment after its orientation through the (pathway, status, starts_at) index. Territory
delays enter the SQL as per-territory values (`Policies.expr`).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth

from spie.territories.models import TerritorySettings
from spie.territories.policies import NATIONAL_DEFAULTS, Policy, policy_for

from . import catalogue
from .sql import AddMonths, DaysBetween

TOTAL = "total"
GROUPS = (None, "territory", "cohort", "entry_month")


@dataclass(frozen=True)
class Filters:
    """What to count: `today` (the frozen clock of the computation), territories (None: every
    territory), the referent's structure, the pathway type, the month of entry and the period."""

    today: datetime.date
    territory_ids: tuple | None = None
    organisation_id: int | None = None
    pathway_type: str = ""
    entry_month: datetime.date | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None

    def national(self):
        """The same filters over every territory and structure (the national value beside)."""
        return Filters(
            today=self.today,
            pathway_type=self.pathway_type,
            entry_month=self.entry_month,
            period_start=self.period_start,
            period_end=self.period_end,
        )

    def active_dimensions(self):
        active = set()
        if self.organisation_id:
            active.add("structure")
        if self.pathway_type:
            active.add("pathway_type")
        if self.entry_month:
            active.add("entry_month")
        return active


@dataclass(frozen=True)
class Measure:
    """A value with what it is computed from; `value` None means « non calculable »."""

    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def calculable(self):
        return self.value is not None


def _round(value, places="0.1"):
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def share(numerator, denominator):
    numerator, denominator = numerator or 0, denominator or 0
    value = _round(100 * numerator / denominator) if denominator else None
    return Measure(value, numerator, denominator)


def ratio(numerator, denominator):
    numerator, denominator = numerator or 0, denominator or 0
    value = _round(numerator / denominator) if denominator else None
    return Measure(value, numerator, denominator)


def count(value):
    return Measure(Decimal(value or 0), None, None)


# --- Territory policies as SQL expressions ------------------------------------------------


def default_policy():
    return Policy(**{item.name: NATIONAL_DEFAULTS[item.name] for item in fields(Policy)})


class Policies:
    """The delays of the territories concerned, turned into per-territory SQL values (a CASE on
    the territory for those whose own setting differs from the national default)."""

    def __init__(self, territory_ids=None):
        rows = TerritorySettings.objects.all()
        if territory_ids is not None:
            rows = rows.filter(territory_id__in=territory_ids)
        self.default = default_policy()
        self.own = {row.territory_id: policy_for(row.territory_id, settings_row=row) for row in rows}

    def for_territory(self, territory_id):
        return self.own.get(territory_id, self.default)

    def expr(self, function, output_field, territory_path="territory_id"):
        default = function(self.default)
        values = defaultdict(list)
        for territory_id, policy in self.own.items():
            value = function(policy)
            if value != default:
                values[value].append(territory_id)
        if not values:
            return Value(default, output_field=output_field)
        whens = [When(**{f"{territory_path}__in": ids}, then=Value(value)) for value, ids in values.items()]
        return Case(*whens, default=Value(default), output_field=output_field)


# --- The shared runner ---------------------------------------------------------------------


def _group_path(group, territory_field, entry_field=None):
    if group == "territory":
        return f"{territory_field}_id"
    if group == "cohort":
        return f"{territory_field}__cohort_id"
    if group == "entry_month":
        return entry_field
    return None


def _scoped(queryset, filters, *, territory, structure=None, pathway_type=None, entry=None):
    """Apply the filters a family supports (`None`: the dimension does not apply to it)."""
    if filters.territory_ids is not None:
        queryset = queryset.filter(**{f"{territory}_id__in": filters.territory_ids})
    if structure and filters.organisation_id:
        queryset = queryset.filter(**{structure: filters.organisation_id})
    if pathway_type and filters.pathway_type:
        queryset = queryset.filter(**{pathway_type: filters.pathway_type})
    if entry and filters.entry_month:
        start = filters.entry_month.replace(day=1)
        end = catalogue._month_end(start)
        queryset = queryset.filter(**{f"{entry}__gte": start, f"{entry}__lte": end})
    return queryset


def _utc_start(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _period(field, filters):
    q = Q()
    if filters.period_start:
        q &= Q(**{f"{field}__gte": filters.period_start})
    if filters.period_end:
        q &= Q(**{f"{field}__lte": filters.period_end})
    return q


def _key(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


class Distribution(Counter):
    """How many rows have each value: a median, and the median of several groups merged (their
    counts add up), without reading the rows again."""

    def median(self):
        """The middle value, or the mean of the two middle ones (as percentile_cont(0.5))."""
        total = self.total()
        if not total:
            return None
        lower_rank, upper_rank = (total - 1) // 2, total // 2
        seen, lower = 0, None
        for value, occurrences in sorted(self.items()):
            seen += occurrences
            if lower is None and seen > lower_rank:
                lower = value
            if seen > upper_rank:
                return (lower + value) / 2


def _grouped(queryset, group_path):
    # Without grouping the key is a constant: no GROUP BY, one row (the same query shape as the
    # grouped one; Django's aggregate() would wrap the annotated queryset in a subquery).
    key_expr = Value(TOTAL) if group_path is None else F(group_path) if isinstance(group_path, str) else group_path
    return queryset.order_by().annotate(group_key=key_expr)


def _aggregate(queryset, group_path, counts, distributions=None):
    """{group key: {name: value}}: the counts in one query, then each distribution (of a value,
    for a median) in one query grouped by key and value."""
    queryset = _grouped(queryset, group_path)
    result = {}
    for row in queryset.values("group_key").annotate(**counts):
        result[_key(row.pop("group_key"))] = row
    for name, (expr, q) in (distributions or {}).items():
        for row in result.values():
            row[name] = Distribution()
        values = queryset.filter(q).values("group_key", value=F(expr)).annotate(occurrences=Count("pk"))
        for row in values:
            if row["value"] is not None:
                result[_key(row["group_key"])][name][row["value"]] += row["occurrences"]
    return result


def _distinct(queryset, group_path, fields):
    """{group key: {name: set of values}} for `fields` ({name: field}): what a distinct count
    counts, kept as sets so that groups merged into a cohort or the country unite them."""
    result = defaultdict(lambda: {name: set() for name in fields})
    for row in _grouped(queryset, group_path).values("group_key", *fields.values()).distinct():
        for name, field in fields.items():
            result[_key(row["group_key"])][name].add(row[field])
    return dict(result)


def _merge(*parts):
    """One row per key from several aggregates of a family (each names its values apart)."""
    keys = set().union(*parts)
    return {key: {name: value for part in parts for name, value in part.get(key, {}).items()} for key in keys}


def _roll_up(rows, key_of):
    """The rows summed per `key_of(their key)` (territories into cohorts, months into the total):
    counts add up, distributions merge, sets of distinct values unite."""
    merged = defaultdict(dict)
    for key, row in rows.items():
        target = merged[key_of(key)]
        for name, value in row.items():
            if isinstance(value, Distribution):
                target.setdefault(name, Distribution()).update(value)
            elif isinstance(value, set):
                target[name] = target.get(name, set()) | value
            else:
                target[name] = (target.get(name) or 0) + (value or 0)
    return dict(merged)


def median(distribution, scale=1):
    distribution = distribution or Distribution()
    value = distribution.median()
    return Measure(None if value is None else _round(value / scale), None, distribution.total())


# --- Families: each reads its tables into rows of counts and distributions per group key, then
# turns one row into its indicators' measures. ---------------------------------------------


def _pathway_rows(filters, group, policies):
    from spie.pathways.enums import ACCOMPANIED_STAGES, AppointmentStatus, ClosingReason, Stage
    from spie.pathways.models import Appointment, Pathway, StatusReview

    today = filters.today
    by_code = catalogue.BY_CODE
    orientation = by_code["delai_orientation"].maturity
    accompaniment = by_code["delai_premier_accompagnement"].maturity
    contract = by_code["contrat_dans_le_mois"].maturity
    queryset = _scoped(
        Pathway.objects.all(),
        filters,
        territory="territory",
        structure="referent_organisation_id",
        pathway_type="pathway_type",
        entry="entered_on",
    )
    reviewed = StatusReview.objects.filter(pathway=OuterRef("pk")).filter(_period("reviewed_on", filters))
    # The first seen appointment on or after the orientation: the pathway's appointments in
    # (pathway, status, starts_at) index order, the first that qualifies.
    first_seen = (
        Appointment.objects.filter(pathway=OuterRef("pk"), status=AppointmentStatus.SEEN)
        .annotate(day=Cast("starts_at", DateField()))
        .filter(day__gte=OuterRef("oriented_on"))
        .order_by("starts_at")
        .values("day")[:1]
    )
    queryset = queryset.annotate(
        orientation_target=policies.expr(lambda p: p.orientation_target_days, IntegerField()),
        orientation_cutoff=policies.expr(lambda p: orientation.mature_until(p, today), DateField()),
        accompaniment_cutoff=policies.expr(lambda p: accompaniment.mature_until(p, today), DateField()),
        contract_cutoff=policies.expr(lambda p: contract.mature_until(p, today), DateField()),
        contract_months=policies.expr(lambda p: p.contract_due_months, IntegerField()),
        seen_since=policies.expr(
            lambda p: today - datetime.timedelta(days=p.no_seen_appointment_alert_days), DateField()
        ),
        orientation_delay=DaysBetween("oriented_on", "entered_on"),
        first_accompaniment_delay=DaysBetween(Subquery(first_seen, output_field=DateField()), "oriented_on"),
        contract_limit=AddMonths("oriented_on", "contract_months"),
        reviewed=Exists(reviewed),
    )
    entered = Q(entered_on__lte=F("orientation_cutoff")) & _period("entered_on", filters)
    oriented = Q(oriented_on__isnull=False)
    accompanied = Q(oriented_on__lte=F("accompaniment_cutoff")) & _period("oriented_on", filters)
    contract_mature = Q(oriented_on__lte=F("contract_cutoff")) & _period("oriented_on", filters)
    active = Q(stage__in=ACCOMPANIED_STAGES)
    is_open = ~Q(stage=Stage.CLOSED)
    closed = Q(stage=Stage.CLOSED, closed_on__isnull=False) & _period("closed_on", filters)
    jobs = [ClosingReason.DURABLE_JOB, ClosingReason.NON_DURABLE_JOB]
    counts = {
        "entered": Count("pk", filter=entered),
        "oriented_in_time": Count("pk", filter=entered & oriented & Q(orientation_delay__lte=F("orientation_target"))),
        "acc_total": Count("pk", filter=accompanied),
        "contract_total": Count("pk", filter=contract_mature),
        "contract_on_time": Count(
            "pk",
            filter=contract_mature
            & Q(contract_signed_on__gte=F("oriented_on"), contract_signed_on__lte=F("contract_limit")),
        ),
        "active": Count("pk", filter=active),
        "active_reviewed": Count("pk", filter=active & _reviewed_in_period(filters)),
        "active_seen": Count("pk", filter=active & Q(last_seen_appointment_on__gte=F("seen_since"))),
        "open": Count("pk", filter=is_open),
        "stalled": Count("pk", filter=is_open & Q(stage_due_on__lt=today)),
        "closed": Count("pk", filter=closed),
        "closed_lost": Count("pk", filter=closed & Q(closing_reason=ClosingReason.LOST_CONTACT)),
        "closed_job": Count("pk", filter=closed & Q(closing_reason__in=jobs)),
        "closed_durable": Count("pk", filter=closed & Q(closing_reason=ClosingReason.DURABLE_JOB)),
    }
    distributions = {
        "orientation_delays": ("orientation_delay", entered & oriented),
        "first_delays": ("first_accompaniment_delay", accompanied),
    }
    return _aggregate(queryset, _group_path(group, "territory", TruncMonth("entered_on")), counts, distributions)


def _reviewed_in_period(filters):
    """A status review in the period, read from the pathway's last review date (the latest of its
    reviews) where it decides: within the period, yes; before it, no. Only a last review after
    the period's end asks the reviews themselves (the `reviewed` subquery)."""
    if filters.period_start is None and filters.period_end is None:
        return Q(last_review_on__isnull=False)
    if filters.period_end is None:
        return Q(last_review_on__gte=filters.period_start)
    # IS NOT NULL spares the subquery to pathways never reviewed (NULL > end would not stop it).
    return _period("last_review_on", filters) | Q(
        last_review_on__isnull=False, last_review_on__gt=filters.period_end, reviewed=True
    )


def _pathway_measures(row):
    first_delays = row.get("first_delays") or Distribution()
    in_time = sum(n for delay, n in first_delays.items() if delay <= catalogue.FIRST_ACCOMPANIMENT_TARGET_DAYS)
    return {
        "delai_orientation": median(row.get("orientation_delays")),
        "orientation_dans_le_delai": share(row.get("oriented_in_time"), row.get("entered")),
        "delai_premier_accompagnement": median(first_delays),
        "premier_accompagnement_30j": share(in_time, row.get("acc_total")),
        "contrat_dans_le_mois": share(row.get("contract_on_time"), row.get("contract_total")),
        "suivi_point_de_situation": share(row.get("active_reviewed"), row.get("active")),
        "suivi_rendez_vous_60j": share(row.get("active_seen"), row.get("active")),
        "parcours_bloques": share(row.get("stalled"), row.get("open")),
        "clotures_perte_contact": share(row.get("closed_lost"), row.get("closed")),
        "sorties_emploi": share(row.get("closed_job"), row.get("closed")),
        "sorties_emploi_durable": share(row.get("closed_durable"), row.get("closed_job")),
    }


def _appointment_rows(filters, group, policies):
    from spie.pathways.enums import AppointmentStatus
    from spie.pathways.models import Appointment

    queryset = _scoped(
        Appointment.objects.all(),
        filters,
        territory="territory",
        structure="pathway__referent_organisation_id",
        pathway_type="pathway__pathway_type",
        entry="pathway__entered_on",
    )
    # Period bounds as UTC instants (the dates of `Cast(starts_at, date)`): an index range on
    # (territory, status, starts_at).
    if filters.period_start:
        queryset = queryset.filter(starts_at__gte=_utc_start(filters.period_start))
    if filters.period_end:
        queryset = queryset.filter(starts_at__lt=_utc_start(filters.period_end + datetime.timedelta(days=1)))
    final = [AppointmentStatus.SEEN, AppointmentStatus.EXCUSED, AppointmentStatus.NO_SHOW]
    queryset = queryset.filter(status__in=final)
    if group == "entry_month" and filters.territory_ids is not None:
        # The pathways joined for their month of entry are those of the same territories.
        queryset = queryset.filter(pathway__territory_id__in=filters.territory_ids)
    # Counting statuses rather than ids: the (territory, status, starts_at) index alone answers.
    counts = {"final": Count("status"), "no_show": Count("status", filter=Q(status=AppointmentStatus.NO_SHOW))}
    return _aggregate(queryset, _group_path(group, "territory", TruncMonth("pathway__entered_on")), counts)


def _appointment_measures(row):
    return {"taux_absence": share(row.get("no_show"), row.get("final"))}


def _employment_rows(filters, group, policies):
    from spie.pathways.models import EmploymentCheckpoint

    queryset = _scoped(
        EmploymentCheckpoint.objects.all(),
        filters,
        territory="territory",
        structure="pathway__referent_organisation_id",
        pathway_type="pathway__pathway_type",
        entry="pathway__entered_on",
    ).filter(_period("follow_up__start_date", filters))
    kept = EmploymentCheckpoint.objects.filter(
        follow_up=OuterRef("follow_up"), months__gte=OuterRef("months"), still_in_job=True
    )
    # A checkpoint is due once its window has closed (due date + the territory's tolerance), and
    # only if it could be recorded: done, or its follow-up still open when the window closed, or
    # ended by the loss of the job (then known out of work). A follow-up ended early for another
    # reason (a closing for moving away, say) leaves its later checkpoints out of the count.
    due = queryset.annotate(
        tolerance=policies.expr(lambda p: p.employment_checkpoint_tolerance_days, IntegerField()),
        late=DaysBetween(Value(filters.today, output_field=DateField()), "due_on"),
        open_after_due=DaysBetween("follow_up__ended_on", "due_on"),
    ).filter(
        Q(recorded_on__isnull=False)
        | Q(follow_up__ended_on__isnull=True)
        | Q(follow_up__still_in_job_at_end=False)
        | Q(open_after_due__gte=F("tolerance")),
        late__gte=F("tolerance"),
    )
    group_path = _group_path(group, "territory", TruncMonth("pathway__entered_on"))
    # Kept jobs in their own query: the job test (a subquery) is then read once per checkpoint,
    # where each conditional count would repeat it.
    return _merge(
        _aggregate(due, group_path, {f"due_{months}": Count("pk", filter=Q(months=months)) for months in (1, 3, 6)}),
        _aggregate(
            due.filter(Exists(kept)),
            group_path,
            {f"kept_{months}": Count("pk", filter=Q(months=months)) for months in (1, 3, 6)},
        ),
    )


def _employment_measures(row):
    return {f"emploi_m{months}": share(row.get(f"kept_{months}"), row.get(f"due_{months}")) for months in (1, 3, 6)}


def _in_shortage(rome_field, day_field):
    from spie.companies.models import ShortageOccupation

    return Exists(
        ShortageOccupation.objects.filter(
            territory_id=OuterRef("territory_id"), rome_job_id=OuterRef(rome_field), starts_on__lte=OuterRef(day_field)
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(day_field)))
    )


def _company_rows(filters, group, policies):
    from spie.companies.enums import ContactStatus, ImmersionStatus, PositioningStatus
    from spie.companies.models import (
        ContactRequest,
        Immersion,
        ImmersionAssessment,
        ShortageOccupation,
        Training,
        TrainingPositioning,
    )
    from spie.pathways.models import EmploymentFollowUp

    path = _group_path(group, "territory", TruncMonth("person__entry_date"))
    immersions = _scoped(
        Immersion.objects.filter(_period("starts_on", filters)),
        filters,
        territory="territory",
        structure="prescriber_organisation_id",
        entry="person__entry_date",
    ).annotate(
        in_shortage=_in_shortage("rome_job_id", "starts_on"),
        hired=Exists(ImmersionAssessment.objects.filter(immersion=OuterRef("pk"), hired=True)),
    )
    counted = ~Q(status__in=[ImmersionStatus.DRAFT, ImmersionStatus.CANCELLED])
    completed = Q(status=ImmersionStatus.COMPLETED)
    immersion_rows = _aggregate(
        immersions,
        path,
        {
            "immersions_validated": Count("pk", filter=Q(validated_at__isnull=False)),
            "immersions_completed": Count("pk", filter=completed),
            "immersions_hired": Count("pk", filter=completed & Q(hired=True)),
            "immersions_counted": Count("pk", filter=counted),
            "immersions_in_shortage": Count("pk", filter=counted & Q(in_shortage=True)),
        },
    )
    positionings = _scoped(
        TrainingPositioning.objects.filter(status__in=[PositioningStatus.ENTERED, PositioningStatus.COMPLETED]).filter(
            _period("training__starts_on", filters)
        ),
        filters,
        territory="territory",
        structure="positioned_by__organisation_id",
        entry="person__entry_date",
    ).annotate(training_start=F("training__starts_on"))
    shortage = (
        ShortageOccupation.objects.filter(
            territory_id=OuterRef("territory_id"),
            rome_job_id__in=Training.rome_jobs.through.objects.filter(
                training_id=OuterRef(OuterRef("training_id"))
            ).values("romejob_id"),
            starts_on__lte=OuterRef("training_start"),
        )
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("training_start")))
    positionings = positionings.annotate(in_shortage=Exists(shortage))
    training_rows = _aggregate(
        positionings,
        path,
        {"trainings_entered": Count("pk"), "trainings_in_shortage": Count("pk", filter=Q(in_shortage=True))},
    )
    hires = _scoped(
        EmploymentFollowUp.objects.filter(_period("start_date", filters)),
        filters,
        territory="territory",
        structure="pathway__referent_organisation_id",
        pathway_type="pathway__pathway_type",
        entry="person__entry_date",
    ).annotate(in_shortage=_in_shortage("rome_job_id", "start_date"))
    hire_rows = _aggregate(
        hires, path, {"hires": Count("pk"), "hires_in_shortage": Count("pk", filter=Q(in_shortage=True))}
    )
    maturity = catalogue.BY_CODE["reponse_entreprises_15j"].maturity
    requests = _scoped(
        ContactRequest.objects.all(), filters, territory="territory", structure="sender__organisation_id"
    ).annotate(
        sent_on=Cast("sent_at", DateField()),
        cutoff=policies.expr(lambda p: maturity.mature_until(p, filters.today), DateField()),
    )
    mature = Q(sent_on__lte=F("cutoff")) & _period("sent_on", filters)
    request_rows = _aggregate(
        requests,
        _group_path(group, "territory"),
        {
            "requests_sent": Count("pk", filter=mature),
            "requests_answered": Count(
                "pk", filter=mature & Q(answered_in_window=True) & ~Q(status=ContactStatus.PENDING)
            ),
        },
    )
    return _merge(immersion_rows, training_rows, hire_rows, request_rows)


def _company_measures(row):
    return {
        "immersions_realisees": share(row.get("immersions_completed"), row.get("immersions_validated")),
        "immersions_embauche": share(row.get("immersions_hired"), row.get("immersions_completed")),
        "immersions_metiers_tension": share(row.get("immersions_in_shortage"), row.get("immersions_counted")),
        "formations_metiers_tension": share(row.get("trainings_in_shortage"), row.get("trainings_entered")),
        "embauches_metiers_tension": share(row.get("hires_in_shortage"), row.get("hires")),
        "reponse_entreprises_15j": share(row.get("requests_answered"), row.get("requests_sent")),
    }


def _offer_rows(filters, group, policies):
    from spie.offers.enums import ReferralStatus
    from spie.offers.models import Offer, Referral

    maturity = catalogue.BY_CODE["orientations_service_repondues"].maturity
    referrals = _scoped(
        Referral.objects.all(),
        filters,
        territory="territory",
        structure="sender__organisation_id",
        entry="person__entry_date",
    ).annotate(
        sent_on=Cast("sent_at", DateField()),
        cutoff=policies.expr(lambda p: maturity.mature_until(p, filters.today), DateField()),
    )
    in_period = _period("sent_on", filters)
    mature = Q(sent_on__lte=F("cutoff")) & in_period
    answered = Q(responded_at__isnull=False) & ~Q(status=ReferralStatus.EXPIRED)
    refused = Q(status=ReferralStatus.REFUSED)
    referral_rows = _aggregate(
        referrals,
        _group_path(group, "territory", TruncMonth("person__entry_date")),
        {
            "mature": Count("pk", filter=mature),
            "mature_answered": Count("pk", filter=mature & answered),
            "answered": Count("pk", filter=in_period & answered),
            "accepted": Count("pk", filter=in_period & answered & ~refused),
        },
        {"response_delays": ("response_delay_hours", in_period & answered)},
    )
    offers = _scoped(Offer.objects.filter(duplicate_of__isnull=True), filters, territory="territory").annotate(
        fresh_since=policies.expr(lambda p: _months_before(filters.today, p.offer_stale_months), DateField())
    )
    offer_rows = _aggregate(
        offers,
        _group_path(group, "territory"),
        {"offers": Count("pk"), "fresh_offers": Count("pk", filter=Q(updated_on__gt=F("fresh_since")))},
    )
    return _merge(referral_rows, offer_rows)


def _offer_measures(row):
    return {
        "orientations_service_repondues": share(row.get("mature_answered"), row.get("mature")),
        "orientations_service_acceptees": share(row.get("accepted"), row.get("answered")),
        "orientations_service_delai": median(row.get("response_delays"), scale=24),
        "offres_a_jour": share(row.get("fresh_offers"), row.get("offers")),
    }


def _months_before(day, months):
    from spie.pathways.dates import add_months

    return add_months(day, -months)


def _case_review_rows(filters, group, policies):
    from spie.casereviews.enums import ActionStatus, CaseStatus
    from spie.casereviews.models import CaseAction, ReviewCase

    maturity = catalogue.BY_CODE["equipes_delai_examen"].maturity
    cases = _scoped(
        ReviewCase.objects.all(),
        filters,
        territory="territory",
        structure="referred_by__organisation_id",
        pathway_type="pathway__pathway_type",
        entry="person__entry_date",
    ).annotate(
        cutoff=policies.expr(lambda p: maturity.mature_until(p, filters.today), DateField()),
        delay=DaysBetween("discussed_on", "referred_on"),
    )
    discussed = Q(referred_on__lte=F("cutoff"), status=CaseStatus.DISCUSSED, discussed_on__isnull=False) & _period(
        "referred_on", filters
    )
    case_rows = _aggregate(
        cases,
        _group_path(group, "territory"),
        {"discussed": Count("pk", filter=discussed)},
        {"review_delays": ("delay", discussed)},
    )
    actions = _scoped(
        CaseAction.objects.exclude(status=ActionStatus.CANCELLED).filter(due_on__lt=filters.today),
        filters,
        territory="territory",
        structure="owner_organisation_id",
        entry="case__person__entry_date",
    ).filter(_period("due_on", filters))
    action_rows = _aggregate(
        actions,
        _group_path(group, "territory"),
        {
            "actions_due": Count("pk"),
            "actions_in_time": Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on"))),
        },
    )
    return _merge(case_rows, action_rows)


def _case_review_measures(row):
    return {
        "equipes_delai_examen": median(row.get("review_delays")),
        "equipes_actions_dans_les_delais": share(row.get("actions_in_time"), row.get("actions_due")),
    }


def _questionnaire_rows(filters, group, policies):
    from spie.questionnaires.models import QuestionnaireInvitation

    now = datetime.datetime.combine(filters.today, datetime.time.max, tzinfo=datetime.UTC)
    invitations = _scoped(
        QuestionnaireInvitation.objects.all(),
        filters,
        territory="territory",
        structure="pathway__referent_organisation_id",
        pathway_type="pathway__pathway_type",
        entry="person__entry_date",
    ).annotate(sent_on=Cast("sent_at", DateField()))
    invitations = invitations.filter(_period("sent_on", filters))
    counts = {}
    for step, _ in catalogue.QUESTIONNAIRE_STEPS:
        settled = Q(step=step) & (Q(answered_at__isnull=False) | Q(expires_at__lte=now))
        counts[f"{step}_settled"] = Count("pk", filter=settled)
        counts[f"{step}_answered"] = Count("pk", filter=Q(step=step, answered_at__isnull=False))
        counts[f"{step}_rated"] = Count("pk", filter=Q(step=step, answered_at__isnull=False, score__isnull=False))
        counts[f"{step}_score"] = Sum("score", filter=Q(step=step, answered_at__isnull=False))
    return _aggregate(invitations, _group_path(group, "territory"), counts)


def _questionnaire_measures(row):
    values = {}
    for step, _ in catalogue.QUESTIONNAIRE_STEPS:
        values[f"questionnaire_{step}_reponse"] = share(row.get(f"{step}_answered"), row.get(f"{step}_settled"))
        rated = row.get(f"{step}_rated")
        values[f"questionnaire_{step}_note"] = Measure(
            _round(row[f"{step}_score"] / rated) if rated else None, None, rated or 0
        )
    return values


def _joint_event_rows(filters, group, policies):
    from spie.exchanges.enums import EventStatus, RegistrationStatus
    from spie.exchanges.models import EventRegistration, JointEvent

    events = _scoped(
        JointEvent.objects.exclude(status=EventStatus.CANCELLED).filter(
            starts_at__lt=_utc_start(filters.today + datetime.timedelta(days=1))
        ),
        filters,
        territory="territory",
        structure="organiser_id",
    ).annotate(day=Cast("starts_at", DateField()))
    event_rows = _aggregate(
        events.filter(_period("day", filters)), _group_path(group, "territory"), {"events": Count("pk")}
    )
    registrations = _scoped(
        EventRegistration.objects.filter(status=RegistrationStatus.REGISTERED, event__status=EventStatus.HELD),
        filters,
        territory="territory",
        structure="organisation_id",
    ).annotate(day=Cast("event__starts_at", DateField()))
    registration_rows = _aggregate(
        registrations.filter(_period("day", filters)),
        _group_path(group, "territory"),
        {"registered": Count("pk"), "attended": Count("pk", filter=Q(attended=True))},
    )
    return _merge(event_rows, registration_rows)


def _joint_event_measures(row):
    return {
        "temps_communs": count(row.get("events")),
        "temps_communs_participation": share(row.get("attended"), row.get("registered")),
    }


def _means_rows(filters, group, policies):
    from spie.accounts.enums import Role
    from spie.accounts.models import Membership
    from spie.people.models import FollowUpMember, Person, active_team_q
    from spie.territories.enums import BudgetPurpose
    from spie.territories.models import BudgetLine

    members = _scoped(
        Membership.objects.active().exclude(role=Role.ADMIN_NATIONAL),
        filters,
        territory="organisation__territory",
        structure="organisation_id",
    ).filter(organisation__territory__isnull=False)
    member_rows = _distinct(members, _group_path(group, "organisation__territory"), {"professionals": "user_id"})
    # The few anonymised people left out by a hashed NOT IN, rather than a join to every person.
    anonymised = Person.objects.filter(anonymised_at__isnull=False).values("pk")
    seats = _scoped(
        FollowUpMember.objects.filter(active_team_q(), is_referent=True).exclude(person_id__in=anonymised),
        filters,
        territory="territory",
        structure="membership__organisation_id",
    )
    # A person belongs to one territory, so the people add up; a referent or a structure may work
    # in several, so theirs are sets.
    path = _group_path(group, "territory")
    people_rows = _aggregate(seats, path, {"people": Count("person_id", distinct=True)})
    referent_rows = _distinct(seats, path, {"referents": "membership_id", "structures": "membership__organisation_id"})
    lines = _scoped(BudgetLine.objects.filter(purpose=BudgetPurpose.TERRITORY_PROJECT), filters, territory="territory")
    budget_rows = _aggregate(lines, _group_path(group, "territory"), {"amount": Sum("amount")})
    return _merge(member_rows, people_rows, referent_rows, budget_rows)


def _means_measures(row):
    referents = len(row.get("referents", ()))
    return {
        "professionnels": count(len(row.get("professionals", ()))),
        "referents": count(referents),
        "file_active_par_referent": ratio(row.get("people"), referents),
        "structures_actives": count(len(row.get("structures", ()))),
        "budget_alloue": Measure(Decimal(row.get("amount") or 0).quantize(Decimal("1"))),
    }


@dataclass(frozen=True)
class Family:
    """Indicators read from the same tables; `monthly`: grouped by month of entry too (the cohorts
    chart)."""

    rows: Callable
    measures: Callable
    monthly: bool = False


FAMILIES = [
    Family(_pathway_rows, _pathway_measures, monthly=True),
    Family(_appointment_rows, _appointment_measures, monthly=True),
    Family(_employment_rows, _employment_measures),
    Family(_company_rows, _company_measures),
    Family(_offer_rows, _offer_measures),
    Family(_case_review_rows, _case_review_measures),
    Family(_questionnaire_rows, _questionnaire_measures),
    Family(_joint_event_rows, _joint_event_measures),
    Family(_means_rows, _means_measures),
]


@contextmanager
def _reporting_transaction():
    """The indicators' queries in one transaction, without PostgreSQL's JIT compilation: these
    aggregates run once over indexed ranges, and compiling them costs more than it saves."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def compute(filters, group=None):
    """{group key: {indicator code: Measure}}; the key is "total" without grouping, else the
    territory id, the cohort id or the month of entry (a date, first of the month)."""
    assert group in GROUPS
    policies = Policies(filters.territory_ids)
    merged = defaultdict(dict)
    with _reporting_transaction():
        for family in FAMILIES:
            if group == "entry_month" and not family.monthly:
                continue
            for key, row in family.rows(filters, group, policies).items():
                merged[key].update(family.measures(row))
    return dict(merged)


def compute_with_months(filters):
    """A territory's page: {"total": …, "entry_month": …} as `compute` gives them without grouping
    and per month of entry, the monthly families read once per month and summed into the total."""
    policies = Policies(filters.territory_ids)
    levels = {TOTAL: defaultdict(dict), "entry_month": defaultdict(dict)}
    with _reporting_transaction():
        for family in FAMILIES:
            if family.monthly:
                by_month = family.rows(filters, "entry_month", policies)
                rows = {"entry_month": by_month, TOTAL: _roll_up(by_month, lambda _: TOTAL)}
            else:
                rows = {TOTAL: family.rows(filters, None, policies)}
            for level, level_rows in rows.items():
                for key, row in level_rows.items():
                    levels[level][key].update(family.measures(row))
    return {level: dict(results) for level, results in levels.items()}


def compare(filters):
    """The national comparison: {"territory": …, "cohort": …, "total": …} as `compute` gives them
    for each grouping, from one pass per family grouped by territory whose rows are summed into
    cohorts and the country."""
    from spie.territories.models import Territory

    policies = Policies(filters.territory_ids)
    cohort_of = dict(Territory.objects.values_list("pk", "cohort_id"))
    levels = {"territory": defaultdict(dict), "cohort": defaultdict(dict), TOTAL: defaultdict(dict)}
    with _reporting_transaction():
        by_family = [(family, family.rows(filters, "territory", policies)) for family in FAMILIES]
    for family, by_territory in by_family:
        rows = {
            "territory": by_territory,
            "cohort": _roll_up(by_territory, cohort_of.get),
            TOTAL: _roll_up(by_territory, lambda _: TOTAL),
        }
        for level, level_rows in rows.items():
            for key, row in level_rows.items():
                levels[level][key].update(family.measures(row))
    return {level: dict(results) for level, results in levels.items()}


def values_for(results, key):
    """Every indicator of the catalogue for `key`, « non calculable » where nothing was counted."""
    found = results.get(key, {})
    empty = {}
    for indicator in catalogue.INDICATORS:
        if indicator.unit in ("nombre", "€"):
            empty[indicator.code] = count(0)
        else:
            empty[indicator.code] = Measure(None, 0 if indicator.numerator else None, 0)
    return empty | found
