"""Delays and periods that apply in a territory: its own setting, else the national default."""

from dataclasses import dataclass, fields

from .models import TerritorySettings

NATIONAL_DEFAULTS = {
    # RGPD: a file with no activity for this long is anonymised (the referent is warned first).
    "inactivity_purge_months": 24,
    "purge_warning_days": 30,
}


@dataclass(frozen=True)
class Policy:
    inactivity_purge_months: int
    purge_warning_days: int


def policy_for(territory, *, settings_row=None):
    """The resolved policy of `territory` (pass `settings_row` to avoid a query in loops)."""
    if settings_row is None:
        settings_row = TerritorySettings.objects.filter(territory=territory).first()
    values = {}
    for field in fields(Policy):
        own = getattr(settings_row, field.name, None) if settings_row else None
        values[field.name] = own if own is not None else NATIONAL_DEFAULTS[field.name]
    return Policy(**values)
