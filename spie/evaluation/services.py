"""The evaluation app writes nothing but the audit of its exports."""

from django.db import transaction

from spie.core.audit import record_event


def record_export(*, kind, scope, filters, by):
    """Audit a CSV export of indicators (`kind`: "territoire" or "national") with its filters."""
    with transaction.atomic():
        return record_event(
            action="evaluation.indicators.exported",
            by=by,
            territory=scope.territory,
            data={
                "kind": kind,
                "structure": str(scope.organisation.public_id) if scope.organisation else "",
                "pathway_type": filters.pathway_type,
                "entry_month": filters.entry_month.isoformat() if filters.entry_month else "",
                "period": [filters.period_start.isoformat(), filters.period_end.isoformat()],
            },
        )
