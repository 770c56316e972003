"""Load the official cohorts, territories and 2021 budget (data/territoires.json).

Set-based and idempotent: one query per table to read what exists, bulk writes for the
difference. Départements and EPCIs must already be loaded (`load_referentials`, COG).
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from spie.core.audit import record_event

from .enums import BudgetPurpose, TerritoryStatus
from .models import BudgetEnvelope, BudgetLine, Cohort, Departement, Epci, Territory

DATA_FILE = Path(__file__).parent / "data" / "territoires.json"

CENT = Decimal("0.01")


class SeedError(Exception):
    """The data file names something that is not in the database (or is malformed)."""


def split_equally(total, count):
    """Split `total` (Decimal euros) into `count` amounts to the cent, summing exactly to `total`.

    The first amounts get the extra cents: 15 000 000 / 31 -> 24 × 483 870,97 + 7 × 483 870,96.
    """
    cents = int((Decimal(total) / CENT).to_integral_value())
    base, remainder = divmod(cents, count)
    return [Decimal(base + (1 if index < remainder else 0)) * CENT for index in range(count)]


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _sync_cohorts(rows):
    existing = {cohort.code: cohort for cohort in Cohort.objects.filter(code__in=[r["code"] for r in rows])}
    to_create, to_update = [], []
    for row in rows:
        cohort = existing.get(row["code"])
        if cohort is None:
            to_create.append(Cohort(**row))
            continue
        changed = False
        for field in ("name", "year", "description"):
            if getattr(cohort, field) != row[field]:
                setattr(cohort, field, row[field])
                changed = True
        if changed:
            to_update.append(cohort)
    Cohort.objects.bulk_create(to_create)
    if to_update:
        Cohort.objects.bulk_update(to_update, ["name", "year", "description", "updated_at"])
    cohorts = {cohort.code: cohort for cohort in Cohort.objects.filter(code__in=[r["code"] for r in rows])}
    return cohorts, len(to_create), len(to_update)


def _resolve(rows, model, key, label):
    """Map every code named in the rows to its primary key; a missing one raises SeedError."""
    wanted = {code for row in rows for code in row[label]}
    found = dict(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, "pk"))
    for row in rows:
        for code in row[label]:
            if code not in found:
                kind = "département" if label == "departements" else "EPCI"
                raise SeedError(
                    f"Territoire « {row['name']} » ({row['code']}) : {kind} {code} introuvable. "
                    "Chargez d'abord les référentiels géographiques (manage.py load_referentials)."
                )
    return found


def _sync_territories(rows, cohorts):
    for row in rows:
        if row["cohort"] not in cohorts:
            raise SeedError(f"Territoire « {row['name']} » ({row['code']}) : cohorte {row['cohort']} inconnue.")
    departement_ids = _resolve(rows, Departement, "code", "departements")
    epci_ids = _resolve(rows, Epci, "siren", "epcis")
    codes = [row["code"] for row in rows]
    existing = {territory.code: territory for territory in Territory.objects.filter(code__in=codes)}
    to_create, to_update = [], []
    for row in rows:
        values = {"name": row["name"], "cohort_id": cohorts[row["cohort"]].pk, "time_zone": row["time_zone"]}
        territory = existing.get(row["code"])
        if territory is None:
            to_create.append(Territory(code=row["code"], status=TerritoryStatus.DEPLOYED, **values))
            continue
        changed = [field for field, value in values.items() if getattr(territory, field) != value]
        for field in changed:
            setattr(territory, field, values[field])
        if changed:
            to_update.append(territory)
    Territory.objects.bulk_create(to_create)
    if to_update:
        Territory.objects.bulk_update(to_update, ["name", "cohort_id", "time_zone", "updated_at"])
    territories = {territory.code: territory for territory in Territory.objects.filter(code__in=codes)}

    perimeter_changed = set()
    for relation, ids, label, column in (
        (Territory.departements.through, departement_ids, "departements", "departement_id"),
        (Territory.epcis.through, epci_ids, "epcis", "epci_id"),
    ):
        wanted = {(territories[row["code"]].pk, ids[code]) for row in rows for code in row[label]}
        territory_pks = [territory.pk for territory in territories.values()]
        links = {
            (territory_id, other_id): pk
            for pk, territory_id, other_id in relation.objects.filter(territory_id__in=territory_pks).values_list(
                "pk", "territory_id", column
            )
        }
        missing, extra = wanted - links.keys(), links.keys() - wanted
        relation.objects.bulk_create([relation(territory_id=t, **{column: o}) for t, o in missing])
        relation.objects.filter(pk__in=[links[pair] for pair in extra]).delete()
        perimeter_changed |= {t for t, _ in missing | extra}
    created_pks = {territory.pk for territory in territories.values() if territory.code not in existing}
    updated_pks = {t.pk for t in to_update} | (perimeter_changed - created_pks)
    return territories, len(to_create), len(updated_pks)


def _sync_budget(budget, territories, cohorts):
    """Create the envelopes and lines of the year if they are absent; never overwrite them, so that
    the amounts adjusted by the national administration survive a new load."""
    year = budget["year"]
    created = {"envelopes": 0, "budget_lines": 0}
    existing_envelopes = set(BudgetEnvelope.objects.filter(year=year).values_list("purpose", flat=True))
    envelopes = [
        BudgetEnvelope(year=year, purpose=e["purpose"], amount=Decimal(e["amount"]), label=e["label"])
        for e in budget["envelopes"]
        if e["purpose"] not in existing_envelopes
    ]
    BudgetEnvelope.objects.bulk_create(envelopes)
    created["envelopes"] = len(envelopes)

    lines = []
    national = budget["national_support"]
    if not BudgetLine.objects.filter(year=year, purpose=BudgetPurpose.NATIONAL_SUPPORT).exists():
        lines.append(
            BudgetLine(
                year=year,
                purpose=BudgetPurpose.NATIONAL_SUPPORT,
                territory=None,
                amount=Decimal(national["amount"]),
                label=national["label"],
            )
        )
    projects = budget["territory_projects"]
    cohort = cohorts[projects["cohort"]]
    receiving = sorted(
        (t for t in territories.values() if t.cohort_id == cohort.pk), key=lambda territory: territory.code
    )
    already = BudgetLine.objects.filter(
        year=year, purpose=BudgetPurpose.TERRITORY_PROJECT, territory__in=receiving
    ).exists()
    if receiving and not already:
        amounts = split_equally(Decimal(projects["amount"]), len(receiving))
        lines += [
            BudgetLine(
                year=year,
                purpose=BudgetPurpose.TERRITORY_PROJECT,
                territory=territory,
                amount=amount,
                label=projects["label"],
            )
            for territory, amount in zip(receiving, amounts, strict=True)
        ]
    BudgetLine.objects.bulk_create(lines)
    created["budget_lines"] = len(lines)
    return created


@transaction.atomic
def load_official_territories(path=DATA_FILE) -> dict:
    """Create or update the official cohorts and territories, and the 2021 budget.

    Returns a summary: cohorts and territories created/updated, envelopes and budget lines created.
    Raises SeedError (nothing written) when a département or EPCI named in the file is missing.
    """
    data = _load(path)
    cohorts, cohorts_created, cohorts_updated = _sync_cohorts(data["cohorts"])
    territories, created, updated = _sync_territories(data["territories"], cohorts)
    budget = _sync_budget(data["budget"], territories, cohorts) if data.get("budget") else {}
    summary = {
        "cohorts_created": cohorts_created,
        "cohorts_updated": cohorts_updated,
        "territories_created": created,
        "territories_updated": updated,
        "territories_total": len(territories),
        "envelopes_created": budget.get("envelopes", 0),
        "budget_lines_created": budget.get("budget_lines", 0),
    }
    if any(value for key, value in summary.items() if key != "territories_total"):
        record_event(action="territories.official_territories.loaded", data=summary)
    return summary
