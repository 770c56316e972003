"""Delays and periods that apply in a territory: its own setting, else the national default."""

from dataclasses import dataclass, fields

from .models import TerritorySettings

NATIONAL_DEFAULTS = {
    # RGPD: a file with no activity for this long is anonymised (the referent is warned first).
    "inactivity_purge_months": 24,
    "purge_warning_days": 30,
    # Décret n° 2024-1244 and the SPIE steering targets.
    "orientation_target_days": 30,
    "contract_due_months": 1,
    "review_period_professional_days": 90,
    "review_period_socio_professional_days": 60,
    "review_period_social_days": 30,
    "no_seen_appointment_alert_days": 60,
    "referral_expiry_days": 30,
    "referral_reminder_days": 10,
    "offer_stale_months": 12,
    # The shared pathway (issue 5): stage targets, appointments, follow-up in employment.
    # A Département has 6 weeks to orient an RSA beneficiary (loi du 18 décembre 2023).
    "stage_target_entry_days": 42,
    "stage_target_oriented_days": 45,
    "stage_target_contract_signed_days": 30,
    "stage_target_accompaniment_days": 730,
    "stage_target_employment_days": 210,
    "appointment_status_grace_days": 2,
    "appointment_first_reminder_days": 3,
    "appointment_second_reminder_days": 1,
    "employment_checkpoint_tolerance_days": 15,
    # Case reviews: the agenda reaches the members this many days before the session; members
    # keep access to the named cases this many days after the minutes are signed.
    "case_review_agenda_days": 7,
    "case_review_access_days": 30,
}


@dataclass(frozen=True)
class Policy:
    inactivity_purge_months: int
    purge_warning_days: int
    orientation_target_days: int
    contract_due_months: int
    review_period_professional_days: int
    review_period_socio_professional_days: int
    review_period_social_days: int
    no_seen_appointment_alert_days: int
    referral_expiry_days: int
    referral_reminder_days: int
    offer_stale_months: int
    stage_target_entry_days: int
    stage_target_oriented_days: int
    stage_target_contract_signed_days: int
    stage_target_accompaniment_days: int
    stage_target_employment_days: int
    appointment_status_grace_days: int
    appointment_first_reminder_days: int
    appointment_second_reminder_days: int
    employment_checkpoint_tolerance_days: int
    case_review_agenda_days: int
    case_review_access_days: int


def policy_for(territory, *, settings_row=None):
    """The resolved policy of `territory` (pass `settings_row` to avoid a query in loops)."""
    if settings_row is None:
        settings_row = TerritorySettings.objects.filter(territory=territory).first()
    values = {}
    for field in fields(Policy):
        own = getattr(settings_row, field.name, None) if settings_row else None
        values[field.name] = own if own is not None else NATIONAL_DEFAULTS[field.name]
    return Policy(**values)


def territorial_role_types(territory):
    """Types of structure of `territory` (a Territory or its pk) that may hold a territorial role:
    the Département and France Travail always, and the types the territory has designated."""
    from spie.accounts.enums import ALWAYS_TERRITORIAL_TYPES

    territory_id = getattr(territory, "pk", territory)
    designated = (
        TerritorySettings.objects.filter(territory_id=territory_id)
        .values_list("territorial_role_types", flat=True)
        .first()
    )
    return {str(value) for value in ALWAYS_TERRITORIAL_TYPES} | set(designated or [])
