"""Alerts computed from the data, never stored: each is `deadline < today` on an indexed column of
`Pathway` that the services keep up to date (see `dates.due_dates`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Value

from .enums import AlertType, Severity


@dataclass(frozen=True)
class AlertSpec:
    type: AlertType
    field: str
    severity: Severity
    help: str

    @property
    def label(self):
        return self.type.label


SPECS = (
    AlertSpec(
        AlertType.ORIENTATION_OVERDUE,
        "orientation_due_on",
        Severity.HIGH,
        "Aucune décision d'orientation dans le délai cible après l'entrée.",
    ),
    AlertSpec(
        AlertType.CONTRACT_OVERDUE,
        "contract_due_on",
        Severity.HIGH,
        "Le contrat d'engagement n'est pas signé dans le délai qui suit l'orientation notifiée.",
    ),
    AlertSpec(
        AlertType.NO_SEEN_APPOINTMENT,
        "seen_due_on",
        Severity.HIGH,
        "Aucun rendez-vous honoré depuis plus longtemps que le délai du territoire.",
    ),
    AlertSpec(
        AlertType.CHECKPOINT_OVERDUE,
        "checkpoint_due_on",
        Severity.MEDIUM,
        "Un point de suivi dans l'emploi (M+1, M+3 ou M+6) n'a pas été fait.",
    ),
    AlertSpec(
        AlertType.CASE_ACTION_OVERDUE,
        "case_action_due_on",
        Severity.MEDIUM,
        "Une action décidée en instance (équipe pluridisciplinaire, groupe d'appui) a dépassé son échéance.",
    ),
    AlertSpec(
        AlertType.REVIEW_OVERDUE,
        "next_review_due_on",
        Severity.MEDIUM,
        "Le point de situation périodique n'a pas été fait à temps.",
    ),
    AlertSpec(
        AlertType.STAGE_OVERDUE,
        "stage_due_on",
        Severity.MEDIUM,
        "La personne est dans la même étape depuis plus longtemps que la durée cible.",
    ),
    AlertSpec(
        AlertType.APPOINTMENT_UNRECORDED,
        "status_due_on",
        Severity.LOW,
        "Un rendez-vous passé n'a pas de statut (honoré, excusé, absent…).",
    ),
)
BY_TYPE = {spec.type: spec for spec in SPECS}
SEVERITY_BADGES = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "info"}


@dataclass(frozen=True)
class Alert:
    spec: AlertSpec
    deadline: datetime.date

    @property
    def type(self):
        return self.spec.type

    @property
    def label(self):
        return self.spec.label

    @property
    def severity(self):
        return self.spec.severity

    @property
    def since(self):
        """The first day of the alert (the day after the deadline)."""
        return self.deadline + datetime.timedelta(days=1)

    @property
    def badge(self):
        return SEVERITY_BADGES[self.spec.severity]


def condition(spec, today):
    return Q(**{f"{spec.field}__lt": today})


def any_alert(today):
    q = Q()
    for spec in SPECS:
        q |= condition(spec, today)
    return q


def filter_type(pathways, alert_type, today):
    return pathways.filter(condition(BY_TYPE[alert_type], today))


# Severity tiers, most severe first: (severity, column of the earliest deadline of that severity).
TIERS = ((Severity.HIGH, "high_due_on"), (Severity.MEDIUM, "medium_due_on"), (Severity.LOW, "low_due_on"))


def any_tier(today):
    """At least one alert (the tiers cover every alert type; indexed)."""
    q = Q()
    for _, field in TIERS:
        q |= Q(**{f"{field}__lt": today})
    return q


def tier_condition(index, today):
    """The most severe overdue alert is of tier `index`."""
    q = Q(**{f"{TIERS[index][1]}__lt": today})
    for _, higher in TIERS[:index]:
        q &= ~Q(**{f"{higher}__lt": today}) | Q(**{f"{higher}__isnull": True})
    return q


def tier_sizes(pathways, today):
    aggregates = {f"tier{index}": Count("pk", filter=tier_condition(index, today)) for index in range(len(TIERS))}
    sizes = pathways.filter(any_tier(today)).aggregate(**aggregates)
    return [sizes[f"tier{index}"] for index in range(len(TIERS))]


def counts(pathways, today):
    """{alert type: number of pathways, "total": pathways with at least one alert, "tiers": their
    number per severity} in one aggregate over the pathways with an alert (indexed)."""
    aggregates = {spec.type.value: Count("pk", filter=condition(spec, today)) for spec in SPECS}
    aggregates |= {f"tier{index}": Count("pk", filter=tier_condition(index, today)) for index in range(len(TIERS))}
    result = pathways.filter(any_tier(today)).aggregate(**aggregates)
    result["tiers"] = [result.pop(f"tier{index}") for index in range(len(TIERS))]
    result["total"] = sum(result["tiers"])
    return result


def _tier(pathways, index, today):
    """Pathways whose most severe overdue alert is of tier `index`, oldest deadline first (an
    index range scan on (territory, tier date))."""
    severity, field = TIERS[index]
    tier = pathways.filter(tier_condition(index, today))
    return tier.order_by(field, "pk").annotate(urgency=Value(int(severity)), urgent_since=F(field))


class ByUrgency:
    """Pathways with an alert, the most severe first, then the oldest deadline first; sliceable
    and countable like a queryset (a bounded number of queries per page: one count and at most
    one query per severity)."""

    def __init__(self, pathways, today, select_related=(), sizes=None):
        self.pathways, self.today, self.select_related = pathways, today, select_related
        self._sizes = sizes

    def tiers(self):
        return [_tier(self.pathways, index, self.today).select_related(*self.select_related) for index in range(3)]

    def sizes(self):
        if self._sizes is None:
            self._sizes = tier_sizes(self.pathways, self.today)
        return self._sizes

    def count(self):
        return sum(self.sizes())

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        rows, offset = [], 0
        for tier, size in zip(self.tiers(), self.sizes(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows.extend(tier[low:high])
            offset += size
            if offset >= stop:
                break
        return rows

    def iterator(self, chunk_size=2000):
        for tier in self.tiers():
            yield from tier.iterator(chunk_size=chunk_size)


def by_urgency(pathways, today, select_related=(), sizes=None):
    return ByUrgency(pathways, today, select_related, sizes)


def alerts_of(pathway, today):
    """The alerts of one pathway (already loaded), most severe first."""
    found = [
        Alert(spec, getattr(pathway, spec.field))
        for spec in SPECS
        if getattr(pathway, spec.field) is not None and getattr(pathway, spec.field) < today
    ]
    return sorted(found, key=lambda alert: (-alert.severity, alert.deadline))
