"""Read helpers of the companies module, for its pages and for other apps.

For the pathway (employment follow-up, issue 5): `hires_for(person)` lists the hires recorded
at the end of an immersion, oldest first, as `Hire` values (no model import needed).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from . import policies
from .enums import ContactStatus, ImmersionStatus, PositioningStatus
from .models import ContactRequest, Immersion, ImmersionAssessment, ShortageOccupation, TrainingPositioning


@dataclass(frozen=True)
class Hire:
    """A return to work recorded on an immersion assessment."""

    immersion_id: object  # UUID of the immersion
    assessment_id: object  # UUID of the assessment
    company_name: str
    company_siret: str
    rome_code: str
    rome_label: str
    contract_type: str  # ContractType value: cdi, cdd, interim, apprentissage…
    contract_type_label: str
    contract_start: datetime.date
    weekly_hours: object  # Decimal or None
    recorded_at: datetime.datetime


def hires_for(person):
    """Hires of `person` after an immersion (contract type and start date), oldest first.
    The pathway opens its employment follow-up (M+1, M+3, M+6) from `contract_start`."""
    assessments = (
        ImmersionAssessment.objects.filter(person=person, hired=True)
        .select_related("immersion__company", "immersion__rome_job")
        .order_by("contract_start", "created_at")
    )
    return [
        Hire(
            immersion_id=assessment.immersion.public_id,
            assessment_id=assessment.public_id,
            company_name=assessment.immersion.company.name,
            company_siret=assessment.immersion.company.siret,
            rome_code=assessment.immersion.rome_job.code,
            rome_label=assessment.immersion.rome_job.label,
            contract_type=assessment.contract_type,
            contract_type_label=assessment.get_contract_type_display(),
            contract_start=assessment.contract_start,
            weekly_hours=assessment.weekly_hours,
            recorded_at=assessment.created_at,
        )
        for assessment in assessments
    ]


def shortage_levels(territory_id, day=None):
    """{ROME code: tension level} of the territory's current list (highest level if several)."""
    if territory_id is None:
        return {}
    levels = {}
    rows = (
        ShortageOccupation.objects.filter(territory_id=territory_id)
        .current(day)
        .values_list("rome_job__code", "tension")
    )
    for code, tension in rows:
        levels[code] = max(tension, levels.get(code, 0))
    return levels


@dataclass(frozen=True)
class ResponseRate:
    answered_in_window: int
    considered: int

    @property
    def percent(self):
        return round(100 * self.answered_in_window / self.considered) if self.considered else None


def response_rate(company, now=None):
    """Share of contact requests answered within the window (15 days), among those answered or
    whose window has closed."""
    now = now or timezone.now()
    closed = now - datetime.timedelta(days=policies.CONTACT_RESPONSE_WINDOW_DAYS)
    counts = ContactRequest.objects.filter(company=company).aggregate(
        considered=Count("pk", filter=Q(responded_at__isnull=False) | Q(sent_at__lte=closed)),
        answered=Count("pk", filter=Q(answered_in_window=True)),
    )
    return ResponseRate(answered_in_window=counts["answered"], considered=counts["considered"])


def company_history(company):
    """Counts shown on the company's page: immersions by status, hires, events, requests."""
    by_status = dict(Immersion.objects.filter(company=company).values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "immersions": sum(by_status.values()),
        "immersions_completed": by_status.get(ImmersionStatus.COMPLETED, 0),
        "immersions_open": sum(
            n
            for status, n in by_status.items()
            if status not in (ImmersionStatus.COMPLETED, ImmersionStatus.CANCELLED, ImmersionStatus.DRAFT)
        ),
        "hires": ImmersionAssessment.objects.filter(immersion__company=company, hired=True).count(),
        "events": company.events.count(),
        "requests": ContactRequest.objects.filter(company=company).count(),
        "requests_accepted": ContactRequest.objects.filter(company=company, status=ContactStatus.ACCEPTED).count(),
    }


def territory_shortage_figures(territory_id, day=None):
    """For the territory page: immersions and training positionings in shortage occupations."""
    levels = shortage_levels(territory_id, day)
    codes = list(levels)
    immersions = dict(
        Immersion.objects.filter(territory_id=territory_id, rome_job__code__in=codes)
        .exclude(status=ImmersionStatus.CANCELLED)
        .values_list("rome_job__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hires = dict(
        ImmersionAssessment.objects.filter(territory_id=territory_id, hired=True, immersion__rome_job__code__in=codes)
        .values_list("immersion__rome_job__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    positionings = dict(
        TrainingPositioning.objects.filter(territory_id=territory_id, training__rome_jobs__code__in=codes)
        .exclude(status=PositioningStatus.DROPPED_OUT)
        .values_list("training__rome_jobs__code")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return levels, immersions, hires, positionings
