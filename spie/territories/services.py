"""Every write on territories, cohorts and budget lines: atomic, validated and audited."""

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from spie.core.audit import record_event
from spie.core.errors import DomainError

from .enums import BudgetPurpose, TerritoryStatus, TimeZone
from .models import BudgetLine, Cohort, Territory, TerritorySettings

# Path segments of /territoires/ that a territory code may not take.
RESERVED_CODES = {"nouveau", "cohortes", "budget", "export"}
CODE_PATTERN = re.compile(r"^[0-9a-z][0-9a-z-]*$")
MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_code(code, *, exclude=None):
    if not code or not CODE_PATTERN.match(code) or len(code) > 30:
        raise DomainError(
            "Code invalide : chiffres, lettres minuscules sans accent et tirets (30 caractères au plus), "
            "par exemple « 08 » ou « cea ».",
            field="code",
        )
    if code in RESERVED_CODES:
        raise DomainError(f"Le code « {code} » est réservé : choisissez-en un autre.", field="code")
    taken = Territory.objects.filter(code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise DomainError(f"Le code « {code} » est déjà celui d'un autre territoire.", field="code")


def _check_territory_fields(*, name, status, time_zone, departements, epcis):
    if not name.strip():
        raise DomainError("Indiquez le nom du territoire.", field="name")
    if status not in TerritoryStatus.values:
        raise DomainError("Ce statut n'existe pas.", field="status")
    if time_zone not in TimeZone.values:
        raise DomainError("Ce fuseau horaire n'est pas proposé.", field="time_zone")
    if not departements and not epcis:
        raise DomainError(
            "Un territoire couvre au moins un département ou un EPCI : indiquez son périmètre.",
            field="departements",
        )


def _perimeter(departements, epcis):
    return {
        "departements": sorted(d.code for d in departements),
        "epcis": sorted(e.siren for e in epcis),
    }


@transaction.atomic
def create_territory(*, code, name, cohort, status, departements, epcis, time_zone=TimeZone.PARIS, started_on=None, by):
    """Create a territory covering `departements` and/or `epcis`; its code is its address."""
    code = (code or "").strip().lower()
    _check_code(code)
    _check_territory_fields(name=name, status=status, time_zone=time_zone, departements=departements, epcis=epcis)
    territory = Territory.objects.create(
        code=code,
        name=name.strip(),
        cohort=cohort,
        status=status,
        time_zone=time_zone,
        started_on=started_on,
    )
    territory.departements.set(departements)
    territory.epcis.set(epcis)
    record_event(
        action="territories.territory.created",
        target=territory,
        by=by,
        territory=territory,
        data={"code": code, "cohort": cohort.code, "status": status, **_perimeter(departements, epcis)},
    )
    return territory


@transaction.atomic
def update_territory(*, territory, code, name, cohort, status, departements, epcis, time_zone, started_on=None, by):
    """Change a territory's identity, cohort, status or perimeter; records which fields changed."""
    code = (code or "").strip().lower()
    if code != territory.code:
        _check_code(code, exclude=territory)
    _check_territory_fields(name=name, status=status, time_zone=time_zone, departements=departements, epcis=epcis)
    before = _perimeter(territory.departements.all(), territory.epcis.all())
    after = _perimeter(departements, epcis)
    values = {
        "code": code,
        "name": name.strip(),
        "cohort_id": cohort.pk,
        "status": status,
        "time_zone": time_zone,
        "started_on": started_on,
    }
    changed = [field for field, value in values.items() if getattr(territory, field) != value]
    changed += [key for key in ("departements", "epcis") if before[key] != after[key]]
    if not changed:
        return territory
    for field, value in values.items():
        setattr(territory, field, value)
    territory.save()
    territory.departements.set(departements)
    territory.epcis.set(epcis)
    data = {"fields": [field.removesuffix("_id") for field in changed]}
    if "status" in changed:
        data["status"] = status
    if "departements" in changed or "epcis" in changed:
        data.update(after)
    record_event(action="territories.territory.updated", target=territory, by=by, territory=territory, data=data)
    return territory


@transaction.atomic
def create_cohort(*, code, name, year, description="", by):
    """Create a cohort (a wave of territories, such as the second call for projects of July 2021)."""
    code = (code or "").strip().lower()
    if not code or not CODE_PATTERN.match(code):
        raise DomainError(
            "Code invalide : chiffres, lettres minuscules sans accent et tirets, par exemple « 2021-second-appel ».",
            field="code",
        )
    if Cohort.objects.filter(code=code).exists():
        raise DomainError(f"Une cohorte porte déjà le code « {code} ».", field="code")
    if not name.strip():
        raise DomainError("Indiquez le nom de la cohorte.", field="name")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.", field="year")
    cohort = Cohort.objects.create(code=code, name=name.strip(), year=year, description=description)
    record_event(action="territories.cohort.created", target=cohort, by=by, data={"code": code, "year": year})
    return cohort


def _check_budget_line(*, year, purpose, amount, territory):
    if purpose not in BudgetPurpose.values:
        raise DomainError("Cet objet de dépense n'existe pas.", field="purpose")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.", field="year")
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("Montant invalide : indiquez un nombre d'euros.", field="amount") from None
    if not amount.is_finite() or amount < 0:
        raise DomainError("Le montant doit être positif ou nul.", field="amount")
    if amount >= Decimal("1e10"):
        raise DomainError("Le montant dépasse 10 milliards d'euros : vérifiez la saisie.", field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError("Le montant a au plus deux décimales (les centimes).", field="amount")
    if purpose == BudgetPurpose.NATIONAL_SUPPORT and territory is not None:
        raise DomainError(
            "L'appui technique national n'est rattaché à aucun territoire : laissez le territoire vide.",
            field="territory",
        )
    if purpose == BudgetPurpose.TERRITORY_PROJECT and territory is None:
        raise DomainError("Choisissez le territoire dont le projet est financé.", field="territory")
    return amount


def _budget_data(line):
    return {
        "year": line.year,
        "purpose": line.purpose,
        "amount": str(line.amount),
        "label": line.label,
        "territory": line.territory.code if line.territory else None,
    }


@transaction.atomic
def create_budget_line(*, year, purpose, amount, label="", territory=None, by):
    """Allocate `amount` euros for `year`: to a territory's project, or to national support."""
    amount = _check_budget_line(year=year, purpose=purpose, amount=amount, territory=territory)
    line = BudgetLine.objects.create(
        year=year, purpose=purpose, amount=amount, label=label.strip(), territory=territory
    )
    record_event(
        action="territories.budget_line.created",
        target=line,
        by=by,
        territory=territory,
        data=_budget_data(line),
    )
    return line


@transaction.atomic
def update_budget_line(*, line, year, purpose, amount, label="", territory=None, by):
    amount = _check_budget_line(year=year, purpose=purpose, amount=amount, territory=territory)
    before = _budget_data(line)
    line.year, line.purpose, line.amount, line.label, line.territory = (
        year,
        purpose,
        amount,
        label.strip(),
        territory,
    )
    line.save()
    after = _budget_data(line)
    if before != after:
        record_event(
            action="territories.budget_line.updated",
            target=line,
            by=by,
            territory=territory,
            data={"before": before, "after": after},
        )
    return line


@transaction.atomic
def delete_budget_line(*, line, by):
    record_event(
        action="territories.budget_line.deleted",
        target=line,
        by=by,
        territory=line.territory,
        data=_budget_data(line),
    )
    line.delete()


@transaction.atomic
def set_territorial_role_types(*, territory, types, by):
    """Designate the types of structure that, besides the Département and France Travail, may hold a
    territorial role in `territory`. Memberships already granted stay; the list of territorial roles
    shows those that no longer fit."""
    from spie.accounts.enums import ALWAYS_TERRITORIAL_TYPES, OrganisationType

    unknown = [value for value in types if value not in OrganisationType.values]
    if unknown:
        raise DomainError(f"Type de structure inconnu : {', '.join(unknown)}.", field="types")
    chosen = sorted({str(value) for value in types} - {str(value) for value in ALWAYS_TERRITORIAL_TYPES})
    row, _ = TerritorySettings.objects.select_for_update().get_or_create(territory=territory)
    before = sorted(row.territorial_role_types or [])
    if before == chosen:
        return row
    row.territorial_role_types = chosen
    row.save(update_fields=["territorial_role_types", "updated_at"])
    record_event(
        action="territories.settings.role_types_changed",
        target=territory,
        by=by,
        territory=territory,
        data={"before": before, "after": chosen},
    )
    return row
