"""Read models of the national budget: envelopes planned per year against lines allocated."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from .enums import BudgetPurpose
from .models import BudgetEnvelope, BudgetLine

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class YearBudget:
    year: int
    planned_territories: Decimal | None
    planned_national: Decimal | None
    allocated_territories: Decimal
    allocated_national: Decimal

    @property
    def planned_total(self):
        if self.planned_territories is None and self.planned_national is None:
            return None
        return (self.planned_territories or ZERO) + (self.planned_national or ZERO)

    @property
    def allocated_total(self):
        return self.allocated_territories + self.allocated_national

    @property
    def territories_share(self):
        """Percentage (0–100, rounded down) of the territories' envelope allocated; None without envelope."""
        if not self.planned_territories:
            return None
        return min(100, int(self.allocated_territories * 100 / self.planned_territories))

    @property
    def territories_remaining(self):
        if self.planned_territories is None:
            return None
        return self.planned_territories - self.allocated_territories

    @property
    def territories_overrun(self):
        """How much the lines exceed the territories' envelope (None when within it)."""
        remaining = self.territories_remaining
        return -remaining if remaining is not None and remaining < 0 else None


def national_budget_by_year():
    """One `YearBudget` per year that has an envelope or a line; two aggregate queries."""
    planned = {
        (e["year"], e["purpose"]): e["amount"] for e in BudgetEnvelope.objects.values("year", "purpose", "amount")
    }
    allocated = {
        (row["year"], row["purpose"]): row["total"]
        for row in BudgetLine.objects.order_by().values("year", "purpose").annotate(total=Sum("amount"))
    }
    years = sorted({year for year, _ in planned} | {year for year, _ in allocated})
    territory, national = BudgetPurpose.TERRITORY_PROJECT, BudgetPurpose.NATIONAL_SUPPORT
    return [
        YearBudget(
            year=year,
            planned_territories=planned.get((year, territory)),
            planned_national=planned.get((year, national)),
            allocated_territories=allocated.get((year, territory), ZERO),
            allocated_national=allocated.get((year, national), ZERO),
        )
        for year in years
    ]
