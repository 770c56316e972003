"""Imports of a territory's companies and of its shortage occupations, on the one import engine
(spie/core/imports.py): read and check every row (plan), show the report, then write all or
nothing (apply), set-based.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from spie.core.bulk import insert
from spie.core.imports import Column, ImportReport, RowResult, parse_csv, parse_date
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.core.validators import validate_siret
from spie.referentials.models import NafActivity, RomeJob
from spie.territories.lookups import CommuneLookup

from .enums import SizeBand
from .models import Company, CompanyContact, CompanyJob, ShortageOccupation

COMPANY_COLUMNS = [
    Column("siret", required=True),
    Column("nom", required=True),
    Column("code_naf"),
    Column("adresse"),
    Column("code_postal"),
    Column("commune", required=True),
    Column("effectif"),
    Column("capacite_immersion"),
    Column("metiers_rome"),
    Column("recrute"),
    Column("email"),
    Column("telephone"),
    Column("contact_prenom"),
    Column("contact_nom"),
    Column("contact_fonction"),
    Column("contact_email"),
    Column("contact_telephone"),
]
SHORTAGE_COLUMNS = [
    Column("code_rome", required=True),
    Column("niveau_tension", required=True),
    Column("debut", required=True),
    Column("fin"),
    Column("source", required=True),
]
SIZE_BANDS = {
    "0": SizeBand.NONE,
    "1 9": SizeBand.MICRO,
    "1 a 9": SizeBand.MICRO,
    "10 49": SizeBand.SMALL,
    "10 a 49": SizeBand.SMALL,
    "50 249": SizeBand.MEDIUM,
    "50 a 249": SizeBand.MEDIUM,
    "250+": SizeBand.LARGE,
    "250 et plus": SizeBand.LARGE,
    **{value.replace("_", " "): value for value in SizeBand.values},
}
YES = {"oui", "o", "1", "x", "vrai", "yes"}
NO = {"non", "n", "0", "", "faux", "no"}
COMPANY_FIELDS = [
    "name",
    "naf",
    "address",
    "postal_code",
    "commune",
    "size_band",
    "immersion_capacity",
    "email",
    "phone",
]


def _naf_code(value):
    code = value.upper().replace(" ", "")
    if len(code) == 5 and code[:2].isdigit() and "." not in code:
        code = f"{code[:2]}.{code[2:]}"
    return code


def _email(row, column, result):
    value = row.get(column, "").strip().lower()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            result.error(column, f"« {value} » n'est pas une adresse e-mail valide")
    return value


def _company_row(row, result, *, communes, territory_communes, nafs, jobs):
    values = {"name": row.get("nom", "").strip()[:255]}
    siret = re.sub(r"\s", "", row.get("siret", ""))
    try:
        validate_siret(siret)
    except ValidationError as error:
        result.error("siret", error.messages[0])
    if not values["name"]:
        result.error("nom", "obligatoire")
    naf_code = row.get("code_naf", "").strip()
    values["naf"] = None
    if naf_code:
        values["naf"] = nafs.get(_naf_code(naf_code))
        if values["naf"] is None:
            result.error("code_naf", f"« {naf_code} » n'est pas un code NAF connu (ex. : 56.10A)")
    values["address"] = row.get("adresse", "").strip()[:255]
    postal_code = row.get("code_postal", "").strip()
    if postal_code and not re.fullmatch(r"\d{5}", postal_code):
        result.error("code_postal", f"« {postal_code} » invalide (5 chiffres)")
    values["postal_code"] = postal_code
    try:
        commune = communes.resolve(row.get("commune", "").strip(), postal_code)
    except ValueError as error:
        result.error("commune", str(error))
    else:
        if commune.pk not in territory_communes:
            result.error("commune", f"« {commune.name} » n'est pas dans le territoire")
        values["commune"] = commune
    size = normalize_for_search(row.get("effectif", "")).replace("_", " ")
    if size and size not in SIZE_BANDS:
        result.error("effectif", f"« {row['effectif']} » non reconnu (0, 1-9, 10-49, 50-249, 250+)")
    values["size_band"] = SIZE_BANDS.get(size, "")
    capacity = row.get("capacite_immersion", "").strip()
    values["immersion_capacity"] = 1
    if capacity:
        if not capacity.isdigit() or not 0 <= int(capacity) <= 50:
            result.error("capacite_immersion", f"« {capacity} » invalide (nombre entier de 0 à 50)")
        else:
            values["immersion_capacity"] = int(capacity)
    values["email"] = _email(row, "email", result)
    values["phone"] = row.get("telephone", "").strip()[:20]
    codes = [code.strip().upper() for code in re.split(r"[|,;\s]+", row.get("metiers_rome", "")) if code.strip()]
    unknown = [code for code in codes if code not in jobs]
    if unknown:
        result.error("metiers_rome", "code(s) ROME inconnu(s) : " + ", ".join(unknown))
    hires = normalize_for_search(row.get("recrute", ""))
    if hires not in YES | NO:
        result.error("recrute", f"« {row['recrute']} » non reconnu (oui ou non)")
    contact = None
    if any(row.get(column) for column in ("contact_nom", "contact_prenom", "contact_email")):
        contact = {
            "first_name": row.get("contact_prenom", "").strip()[:150],
            "last_name": row.get("contact_nom", "").strip()[:150],
            "job_title": row.get("contact_fonction", "").strip()[:150],
            "email": _email(row, "contact_email", result),
            "phone": row.get("contact_telephone", "").strip()[:20],
        }
        for column, key in (("contact_nom", "last_name"), ("contact_email", "email")):
            if not contact[key]:
                result.error(column, "obligatoire quand un contact est indiqué")
    return siret, values, [jobs[code] for code in codes if code in jobs], hires in YES, contact


def plan_companies(content, *, territory, progress=None):
    """Check the whole file against the territory's companies; nothing is written."""
    parsed = parse_csv(content, COMPANY_COLUMNS)
    existing = dict(Company.objects.filter(territory=territory).values_list("siret", "pk"))
    communes = CommuneLookup()
    territory_communes = set(territory.communes().values_list("pk", flat=True))
    nafs = {naf.code: naf for naf in NafActivity.objects.all()}
    jobs = {job.code: job for job in RomeJob.objects.only("pk", "code", "domain_id")}
    results, seen = [], {}
    for line, row in parsed.rows:
        result = RowResult(line=line, values=row)
        siret, values, rome_jobs, hires, contact = _company_row(
            row, result, communes=communes, territory_communes=territory_communes, nafs=nafs, jobs=jobs
        )
        if siret in seen:
            result.error("siret", f"doublon de la ligne {seen[siret]}")
        seen.setdefault(siret, line)
        if not result.rejected:
            result.action = "update" if siret in existing else "create"
            result.payload = {
                "pk": existing.get(siret),
                "siret": siret,
                "values": values,
                "jobs": rome_jobs,
                "hires": hires,
                "contact": contact,
            }
        results.append(result)
        if progress:
            progress(1)
    return ImportReport(results=results, warnings=parsed.warnings)


@transaction.atomic
def apply_companies(report, *, territory, by, skip_invalid=False):
    """Create the new companies and complete the known ones (values never blanked)."""
    if not report.can_apply(skip_invalid):
        raise ValueError("the file has rejected rows")
    rows = [result for result in report.results if not result.rejected]
    membership = getattr(by, "membership", None)
    known = Company.objects.in_bulk([r.payload["pk"] for r in rows if r.payload["pk"]])
    created, updated, pairs = [], [], []
    for result in rows:
        payload = result.payload
        values = payload["values"]
        if payload["pk"] is None:
            company = Company(territory=territory, siret=payload["siret"], created_by=membership, **values)
            company.search_name = normalize_for_search(company.name)
            company.place_from_commune()
            created.append(company)
        else:
            company = known[payload["pk"]]
            changes = {
                name: value
                for name, value in values.items()
                if value not in ("", None) and getattr(company, name) != value and name != "immersion_capacity"
            }
            if result.values.get("capacite_immersion") and company.immersion_capacity != values["immersion_capacity"]:
                changes["immersion_capacity"] = values["immersion_capacity"]
            for name, value in changes.items():
                setattr(company, name, value)
            if changes:
                company.search_name = normalize_for_search(company.name)
                company.place_from_commune()
                updated.append(company)
            else:
                result.action = "unchanged"
        pairs.append((company, payload))
    insert(Company, created)
    now = timezone.now()
    for company in updated:
        company.updated_at = now
    Company.objects.bulk_update(updated, [*COMPANY_FIELDS, "search_name", "geo_lat", "geo_lon", "updated_at"])
    for company in updated:
        company.sync_jobs()
    jobs, contacts = [], []
    with_contacts = set(
        CompanyContact.objects.filter(company__in=[c for c, _ in pairs if c.pk]).values_list("company_id", "email")
    )
    for company, payload in pairs:
        for rome_job in payload["jobs"]:
            jobs.append(
                CompanyJob(
                    company=company,
                    territory=territory,
                    rome_job=rome_job,
                    domain_id=rome_job.domain_id,
                    hosts_immersion=True,
                    hires=payload["hires"],
                    geo_lat=company.geo_lat,
                    geo_lon=company.geo_lon,
                    is_open=company.is_open,
                )
            )
        contact = payload["contact"]
        if contact and (company.pk, contact["email"]) not in with_contacts:
            contacts.append(CompanyContact(company=company, territory=territory, is_main=True, **contact))
    CompanyJob.objects.bulk_create(jobs, ignore_conflicts=True, batch_size=2000)
    insert(CompanyContact, contacts)
    insert(
        AuditEvent,
        (
            AuditEvent(
                actor=getattr(by, "user", None),
                membership=membership,
                territory=territory,
                action="companies.company.imported",
                target_type="companies.company",
                target_id=company.public_id,
            )
            for company in created + updated
        ),
    )
    return {"created": len(created), "updated": len(updated), "unchanged": len(rows) - len(created) - len(updated)}


def plan_shortages(content, *, territory, progress=None):
    parsed = parse_csv(content, SHORTAGE_COLUMNS)
    jobs = {job.code: job for job in RomeJob.objects.only("pk", "code", "label", "domain_id")}
    existing = {
        (code, starts_on): pk
        for pk, code, starts_on in ShortageOccupation.objects.filter(territory=territory).values_list(
            "pk", "rome_job__code", "starts_on"
        )
    }
    results, seen = [], {}
    for line, row in parsed.rows:
        result = RowResult(line=line, values=row)
        code = row.get("code_rome", "").strip().upper()
        job = jobs.get(code)
        if job is None:
            result.error("code_rome", f"« {code} » n'est pas un code ROME connu")
        level = row.get("niveau_tension", "").strip()
        if not (level.isdigit() and 1 <= int(level) <= 5):
            result.error("niveau_tension", f"« {level} » invalide (de 1 à 5)")
        starts_on = ends_on = None
        try:
            starts_on = parse_date(row.get("debut", "").strip())
        except ValueError as error:
            result.error("debut", str(error))
        if row.get("fin", "").strip():
            try:
                ends_on = parse_date(row["fin"].strip())
            except ValueError as error:
                result.error("fin", str(error))
        if starts_on and ends_on and ends_on < starts_on:
            result.error("fin", "la fin de la période précède son début")
        source = row.get("source", "").strip()
        if not source:
            result.error("source", "obligatoire")
        key = (code, starts_on)
        if key in seen:
            result.error("code_rome", f"doublon de la ligne {seen[key]} (même métier, même début de période)")
        seen.setdefault(key, line)
        if not result.rejected:
            result.action = "update" if key in existing else "create"
            result.payload = {
                "pk": existing.get(key),
                "values": {
                    "rome_job": job,
                    "tension": int(level),
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "source": source[:255],
                },
            }
        results.append(result)
        if progress:
            progress(1)
    return ImportReport(results=results, warnings=parsed.warnings)


@transaction.atomic
def apply_shortages(report, *, territory, by, skip_invalid=False):
    if not report.can_apply(skip_invalid):
        raise ValueError("the file has rejected rows")
    rows = [result for result in report.results if not result.rejected]
    membership = getattr(by, "membership", None)
    known = ShortageOccupation.objects.in_bulk([r.payload["pk"] for r in rows if r.payload["pk"]])
    created, updated = [], []
    now = timezone.now()
    for result in rows:
        values = result.payload["values"]
        if result.payload["pk"] is None:
            created.append(ShortageOccupation(territory=territory, created_by=membership, **values))
            continue
        shortage = known[result.payload["pk"]]
        if all(getattr(shortage, name) == value for name, value in values.items()):
            result.action = "unchanged"
            continue
        for name, value in values.items():
            setattr(shortage, name, value)
        shortage.updated_at = now
        updated.append(shortage)
    insert(ShortageOccupation, created)
    ShortageOccupation.objects.bulk_update(updated, ["tension", "ends_on", "source", "updated_at"])
    AuditEvent.objects.create(
        actor=getattr(by, "user", None),
        membership=membership,
        territory=territory,
        action="companies.shortage.imported",
        target_type="territories.territory",
        target_id=territory.public_id,
        data={"created": len(created), "updated": len(updated)},
    )
    return {"created": len(created), "updated": len(updated), "unchanged": len(rows) - len(created) - len(updated)}
