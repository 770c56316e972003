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


def policy_for(territory, *, settings_row=None):
    """The resolved policy of `territory` (pass `settings_row` to avoid a query in loops)."""
    if settings_row is None:
        settings_row = TerritorySettings.objects.filter(territory=territory).first()
    values = {}
    for field in fields(Policy):
        own = getattr(settings_row, field.name, None) if settings_row else None
        values[field.name] = own if own is not None else NATIONAL_DEFAULTS[field.name]
    return Policy(**values)
