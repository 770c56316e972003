"""Alerts computed from the data, never stored: each is `deadline < today` on an indexed column of
`Pathway` that the services keep up to date (see `dates.due_dates`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest, Least

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
FAR_FUTURE = datetime.date(9999, 12, 31)
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


def counts(pathways, today):
    """{alert type: number of pathways, "total": pathways with at least one alert} in one query."""
    aggregates = {spec.type.value: Count("pk", filter=condition(spec, today)) for spec in SPECS}
    aggregates["total"] = Count("pk", filter=any_alert(today))
    return pathways.aggregate(**aggregates)


def by_urgency(pathways, today):
    """Pathways with an alert, the most severe first, then the oldest deadline first."""
    severity = Greatest(
        *[Case(When(condition(spec, today), then=Value(int(spec.severity))), default=Value(0)) for spec in SPECS],
        output_field=IntegerField(),
    )
    oldest = Least(
        *[Case(When(condition(spec, today), then=F(spec.field)), default=Value(FAR_FUTURE)) for spec in SPECS],
        output_field=DateField(),
    )
    return (
        pathways.filter(any_alert(today))
        .annotate(urgency=severity, urgent_since=oldest)
        .order_by("-urgency", "urgent_since", "pk")
    )


def alerts_of(pathway, today):
    """The alerts of one pathway (already loaded), most severe first."""
    found = [
        Alert(spec, getattr(pathway, spec.field))
        for spec in SPECS
        if getattr(pathway, spec.field) is not None and getattr(pathway, spec.field) < today
    ]
    return sorted(found, key=lambda alert: (-alert.severity, alert.deadline))
