"""Writes of the onboarding pages: atomic and audited."""

from dataclasses import fields

from django.db import transaction

from spie.core.audit import record_event
from spie.pathways.services import refresh_territory_due_dates
from spie.territories.models import TerritorySettings
from spie.territories.policies import Policy


@transaction.atomic
def update_territory_settings(*, territory, values, by):
    """Set the territory's own delays (None keeps the national default); logs field names only."""
    row, _ = TerritorySettings.objects.select_for_update().get_or_create(territory=territory)
    changed = [f.name for f in fields(Policy) if f.name in values and getattr(row, f.name) != values[f.name]]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save()
        record_event(
            action="onboarding.territory_settings.updated",
            target=territory,
            by=by,
            territory=territory,
            data={"fields": changed},
        )
        # Open pathways store their due dates: recompute them so that the alerts follow at once.
        refresh_territory_due_dates(territory)
    return row, changed
