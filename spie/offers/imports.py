"""Import of a data·inclusion file (JSON or CSV): check every record, then upsert set-based.

A record is identified by (source, id). Re-importing the same file changes nothing: each record
carries a fingerprint of its values, and an equal fingerprint means « inchangé ». Every problem
names the record, the field and the reason in French. By default nothing is written when a record
is rejected (all or nothing); `skip_invalid` imports the valid records and reports the others.
"""

import json
import uuid
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from spie.accounts.models import Organisation
from spie.core.audit import record_event
from spie.core.imports import Column, ImportFileError, decode, detect_separator, parse_csv
from spie.core.text import normalize_for_search

from .enums import DuplicateReason
from .geo import GeoIndex
from .indexing import derive, derive_structure, location_values, tag_values
from .models import DuplicateCandidate, Offer, OfferLocation, OfferStructure, OfferTag
from .schema import (
    SERVICE_FIELDS,
    STRUCTURE_FIELDS,
    Vocabularies,
    check_service,
    check_structure,
    content_hash,
)

BATCH = 2000
STRUCTURE, SERVICE = "structure", "service"
KIND_LABELS = {STRUCTURE: "Structure", SERVICE: "Service"}
STRUCTURE_UPDATE_FIELDS = [
    "name",
    "search_name",
    "siret",
    "description",
    "address",
    "address_complement",
    "postal_code",
    "code_insee",
    "commune_name",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "source_link",
    "opening_hours",
    "accessibility_link",
    "networks",
    "updated_on",
    "organisation",
    "territory",
    "content_hash",
    "updated_at",
]
OFFER_UPDATE_FIELDS = [
    "structure",
    "name",
    "search_name",
    "description",
    "kind",
    "thematiques",
    "publics",
    "publics_details",
    "fees",
    "fees_details",
    "access_conditions",
    "reception_modes",
    "mobilisation_modes",
    "mobilisable_by",
    "mobilisation_details",
    "mobilisation_link",
    "source_link",
    "phone",
    "email",
    "contact_name",
    "address",
    "address_complement",
    "postal_code",
    "code_insee",
    "commune_name",
    "latitude",
    "longitude",
    "opening_hours",
    "eligibility_zone",
    "weekly_hours",
    "weeks",
    "updated_on",
    "territory",
    "geo_lat",
    "geo_lon",
    "on_site",
    "remote",
    "has_zone",
    "search_text",
    "content_hash",
    "updated_at",
]


@dataclass
class RecordResult:
    kind: str
    position: int
    record_id: str = ""
    action: str = ""
    errors: list = field(default_factory=list)
    values: dict = field(default_factory=dict)
    pk: int | None = None

    @property
    def rejected(self):
        return bool(self.errors)

    @property
    def label(self):
        name = f"« {self.record_id} »" if self.record_id else f"n° {self.position} (sans identifiant)"
        return f"{KIND_LABELS[self.kind]} {name}"

    def error(self, field_name, reason):
        where = f"champ « {field_name} » : " if field_name else ""
        self.errors.append(f"{self.label} — {where}{reason}")
        self.action = "reject"


@dataclass
class ImportPlan:
    structures: list
    services: list
    warnings: list

    @property
    def results(self):
        return self.structures + self.services

    @property
    def rejected(self):
        return [result for result in self.results if result.rejected]

    def count(self, kind, action):
        return sum(1 for result in self.results if result.kind == kind and result.action == action)

    def can_apply(self, skip_invalid=False):
        valid = len(self.results) - len(self.rejected)
        return valid > 0 and (skip_invalid or not self.rejected)

    def summary(self):
        def part(kind, label):
            return (
                f"{label} : {self.count(kind, 'create')} à créer, {self.count(kind, 'update')} à mettre à jour, "
                f"{self.count(kind, 'unchanged')} inchangé(s), {self.count(kind, 'reject')} rejeté(s)"
            )

        return f"{part(STRUCTURE, 'structures')} ; {part(SERVICE, 'services')}"


# Reading ------------------------------------------------------------------------------------


def _csv_records(content, fields):
    parsed = parse_csv(content, [Column(name, required=name in ("id", "nom", "date_maj")) for name in fields])
    return [(line, row) for line, row in parsed.rows], parsed.warnings


def read_records(content: bytes):
    """(structures, services, warnings) from a data·inclusion JSON object, or from a CSV of either."""
    text = decode(content).lstrip()
    if not text:
        raise ImportFileError("Le fichier est vide.")
    if text[0] in "{[":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(f"Le JSON n'est pas valable (ligne {error.lineno}, colonne {error.colno}).") from None
        except RecursionError:
            raise ImportFileError("Le JSON est trop imbriqué : la structure attendue a deux niveaux.") from None
        if not isinstance(data, dict) or not ({"structures", "services"} & set(data)):
            raise ImportFileError("Le JSON doit être un objet avec une liste « structures » et une liste « services ».")
        structures, services = data.get("structures") or [], data.get("services") or []
        if not isinstance(structures, list) or not isinstance(services, list):
            raise ImportFileError("« structures » et « services » doivent être des listes.")
        return list(enumerate(structures, start=1)), list(enumerate(services, start=1)), []
    header = text.splitlines()[0]
    names = {normalize_for_search(name).replace(" ", "_") for name in header.split(detect_separator(header))}
    if "structure_id" in names:
        services, warnings = _csv_records(content, SERVICE_FIELDS)
        return [], services, warnings
    structures, warnings = _csv_records(content, STRUCTURE_FIELDS)
    return structures, [], warnings


# Planning -----------------------------------------------------------------------------------


def _existing(model, keys):
    """{(source, source_id): (pk, content_hash)} of the stored records among `keys`."""
    found = {}
    by_source = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    for source, ids in by_source.items():
        rows = model.objects.filter(source=source).values_list("source_id", "pk", "content_hash")
        if len(ids) < 5000:
            rows = rows.filter(source_id__in=ids)
        wanted = set(ids)
        for source_id, pk, fingerprint in rows.iterator(chunk_size=10000):
            if source_id in wanted:
                found[(source, source_id)] = (pk, fingerprint)
    return found


def _apply_source(record, source, result):
    if isinstance(record, dict) and source:
        if not record.get("source"):
            record = {**record, "source": source}
        elif record["source"] != source:
            result.error("source", f"« {record['source']} » différente de la source importée « {source} »")
    return record


def _plan_kind(kind, records, checker, vocabularies, source, progress):
    results, seen = [], {}
    for position, record in records:
        result = RecordResult(kind=kind, position=position)
        if isinstance(record, dict):
            result.record_id = str(record.get("id") or "")
        record = _apply_source(record, source, result)
        values, problems = checker(record, vocabularies)
        for field_name, reason in problems:
            result.error(field_name, reason)
        key = (values.get("source"), values.get("source_id"))
        if all(key) and key in seen:
            result.error("id", f"en double dans le fichier (déjà à la position {seen[key]})")
        elif all(key):
            seen[key] = position
        result.values = values
        results.append(result)
        if progress:
            progress(1)
    return results


def _decide(results, existing):
    for result in results:
        if result.rejected:
            continue
        key = (result.values["source"], result.values["source_id"])
        fingerprint = content_hash(result.values)
        result.values["content_hash"] = fingerprint
        if key in existing:
            result.pk, stored = existing[key]
            result.action = "unchanged" if stored == fingerprint else "update"
        else:
            result.action = "create"


def plan_import(content, *, source="", progress=None):
    """Read and check the whole file; nothing is written."""
    structure_records, service_records, warnings = read_records(content)
    vocabularies = Vocabularies.load()
    structures = _plan_kind(STRUCTURE, structure_records, check_structure, vocabularies, source, progress)
    services = _plan_kind(SERVICE, service_records, check_service, vocabularies, source, progress)
    valid_structures = {(r.values["source"], r.values["source_id"]): r for r in structures if not r.rejected}
    rejected_structures = {(r.values.get("source"), r.values.get("source_id")) for r in structures if r.rejected}
    wanted = {(r.values["source"], r.values["structure_key"]) for r in services if not r.rejected}
    stored_structures = _existing(OfferStructure, wanted - set(valid_structures))
    for result in services:
        if result.rejected:
            continue
        key = (result.values["source"], result.values["structure_key"])
        if key in rejected_structures:
            result.error("structure_id", f"la structure « {key[1]} » est rejetée")
        elif key not in valid_structures and key not in stored_structures:
            result.error("structure_id", f"structure « {key[1]} » inconnue (ni dans le fichier, ni dans l'annuaire)")
    _decide(structures, _existing(OfferStructure, list(valid_structures)))
    _decide(
        services,
        _existing(Offer, [(r.values["source"], r.values["source_id"]) for r in services if not r.rejected]),
    )
    return ImportPlan(structures=structures, services=services, warnings=warnings)


# Applying -----------------------------------------------------------------------------------


def _structure_values(values):
    return dict(values)


def _offer_values(values):
    return {key: value for key, value in values.items() if key != "structure_key"}


def _write_structures(results, geo, organisations, progress):
    created, updated = [], []
    to_update = OfferStructure.objects.in_bulk([r.pk for r in results if r.action == "update"])
    for result in results:
        if result.action == "create":
            structure = _record(OfferStructure, result.values)
            created.append(derive_structure(structure, geo=geo, organisations_by_siret=organisations))
        elif result.action == "update":
            structure = to_update[result.pk]
            for name, value in _structure_values(result.values).items():
                setattr(structure, name, value)
            updated.append(derive_structure(structure, geo=geo, organisations_by_siret=organisations))
        if progress and result.action in ("create", "update"):
            progress(1)
    _insert(OfferStructure, created)
    now = timezone.now()
    for structure in updated:
        structure.updated_at = now
    OfferStructure.objects.bulk_update(updated, STRUCTURE_UPDATE_FIELDS, batch_size=BATCH)
    return created, updated


def _structures_by_key(keys):
    found = {}
    by_source = {}
    for source, source_id in keys:
        by_source.setdefault(source, set()).add(source_id)
    fields = ["pk", "source", "source_id", "name", "code_insee", "territory_id"]
    for source, ids in by_source.items():
        rows = OfferStructure.objects.filter(source=source).only(*fields)
        if len(ids) < 5000:
            rows = rows.filter(source_id__in=ids)
        for structure in rows.iterator(chunk_size=10000):
            if structure.source_id in ids:
                found[(source, structure.source_id)] = structure
    return found


def _write_offers(results, geo, structures, progress):
    created, updated = [], []
    to_update = Offer.objects.in_bulk([r.pk for r in results if r.action == "update"])
    for result in results:
        if result.action not in ("create", "update"):
            continue
        structure = structures[(result.values["source"], result.values["structure_key"])]
        if result.action == "create":
            offer = _record(Offer, {**_offer_values(result.values), "structure_id": structure.pk})
            created.append(derive(offer, structure=structure, geo=geo))
        else:
            offer = to_update[result.pk]
            offer.structure = structure
            for name, value in _offer_values(result.values).items():
                setattr(offer, name, value)
            updated.append(derive(offer, structure=structure, geo=geo))
        if progress:
            progress(1)
    _insert(Offer, created)
    now = timezone.now()
    for offer in updated:
        offer.updated_at = now
    Offer.objects.bulk_update(updated, OFFER_UPDATE_FIELDS, batch_size=BATCH)
    updated_pks = [offer.pk for offer in updated]
    OfferTag.objects.filter(offer_id__in=updated_pks).delete()
    OfferLocation.objects.filter(offer_id__in=updated_pks).delete()
    written = created + updated
    _insert_rows(OfferTag, ["offer_id", "kind", "value"], [row for offer in written for row in tag_values(offer)])
    columns = ["offer_id", "geo_lat", "geo_lon", "on_site", "remote", "has_zone", "listed"]
    locations = [location_values(offer) for offer in written]
    _insert_rows(OfferLocation, columns, [[location[c] for c in columns] for location in locations])
    return created, updated


# Writing at scale: COPY on PostgreSQL straight from plain records, bulk_create elsewhere.


def _record(model, values):
    """A plain record with every column of `model` (defaults first), cheaper than a model instance."""
    now = timezone.now()
    record = SimpleNamespace(**{field.attname: None for field in model._meta.concrete_fields})
    record.public_id, record.created_at, record.updated_at = uuid.uuid4(), now, now
    for name, value in values.items():
        setattr(record, name, value)
    return record


def _columns(model):
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _cell(field, value):
    if value is None:
        return None
    if isinstance(field, JSONField):
        return json.dumps(value)
    return value


def _insert(model, records):
    """Insert plain records of `model`; sets their `pk`."""
    fields = _columns(model)
    rows = [[_cell(field, getattr(record, field.attname)) for field in fields] for record in records]
    pks = _insert_rows(model, [field.attname for field in fields], rows, returning=True)
    for record, pk in zip(records, pks, strict=True):
        record.pk = record.id = pk


def _insert_rows(model, columns, rows, *, returning=False):
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        for obj in objects:
            for field in model._meta.concrete_fields:
                if isinstance(field, JSONField) and isinstance(getattr(obj, field.attname), str):
                    setattr(obj, field.attname, json.loads(getattr(obj, field.attname)))
        created = model.objects.bulk_create(objects, batch_size=BATCH)
        return [obj.pk for obj in created]
    pks = []
    if returning:
        table, pk_column = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, len(rows)],
            )
            pks = [row[0] for row in cursor.fetchall()]
        columns = [pk_column, *columns]
        rows = ([pk, *row] for pk, row in zip(pks, rows, strict=True))
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    return pks


def _names_close(first, second):
    if not first or not second:
        return False
    if first in second or second in first:
        return True
    return SequenceMatcher(None, first, second).ratio() >= 0.75


def flag_duplicates(structures, offers):
    """Flag likely duplicates across sources among the records just written: same SIRET and close
    names (structures), or same name, address and commune (services). Returns how many."""
    candidates = []
    sirets = {structure.siret for structure in structures if structure.siret}
    by_siret = {}
    for other in OfferStructure.objects.filter(siret__in=sirets).only("pk", "source", "siret", "search_name"):
        by_siret.setdefault(other.siret, []).append(other)
    for structure in structures:
        for other in by_siret.get(structure.siret, []) if structure.siret else []:
            if other.source != structure.source and _names_close(structure.search_name, other.search_name):
                first, second = sorted([structure.pk, other.pk])
                candidates.append(
                    DuplicateCandidate(
                        territory_id=structure.territory_id,
                        reason=DuplicateReason.SIRET_AND_NAME,
                        structure_a_id=first,
                        structure_b_id=second,
                    )
                )
    touched = {offer.pk for offer in offers if offer.address}
    names = sorted({offer.search_name for offer in offers if offer.address})
    groups = {}
    for start in range(0, len(names), 2000):
        rows = (
            Offer.objects.filter(search_name__in=names[start : start + 2000])
            .exclude(address="")
            .values_list("pk", "source", "search_name", "code_insee", "address", "territory_id")
        )
        for pk, source, name, code, address, territory_id in rows.iterator(chunk_size=10000):
            groups.setdefault((name, code, normalize_for_search(address)), []).append((pk, source, territory_id))
    for members in groups.values():
        if len(members) < 2 or len({source for _, source, _ in members}) < 2:
            continue
        for pk, source, territory_id in members:
            if pk not in touched:
                continue
            for other_pk, other_source, _ in members:
                if other_source != source:
                    first, second = sorted([pk, other_pk])
                    candidates.append(
                        DuplicateCandidate(
                            territory_id=territory_id,
                            reason=DuplicateReason.NAME_AND_ADDRESS,
                            offer_a_id=first,
                            offer_b_id=second,
                        )
                    )
    unique = {(c.structure_a_id, c.structure_b_id, c.offer_a_id, c.offer_b_id): c for c in candidates}
    before = DuplicateCandidate.objects.count()
    DuplicateCandidate.objects.bulk_create(unique.values(), batch_size=BATCH, ignore_conflicts=True)
    return DuplicateCandidate.objects.count() - before


@transaction.atomic
def apply_import(plan, *, by=None, skip_invalid=False, filename="", progress=None):
    """Write the planned records; refuses a file with rejected records unless `skip_invalid`."""
    if not plan.can_apply(skip_invalid):
        raise ValueError("the file has rejected records")
    geo = GeoIndex()
    organisations = dict(Organisation.objects.filter(is_active=True).values_list("siret", "pk"))
    new_structures, changed_structures = _write_structures(plan.structures, geo, organisations, progress)
    keys = {(r.values["source"], r.values["structure_key"]) for r in plan.services if not r.rejected}
    written = {(s.source, s.source_id): s for s in new_structures + changed_structures}
    structures = _structures_by_key(keys - set(written)) | written
    new_offers, changed_offers = _write_offers(plan.services, geo, structures, progress)
    duplicates = flag_duplicates(new_structures + changed_structures, new_offers + changed_offers)
    counts = {
        "structures_created": len(new_structures),
        "structures_updated": len(changed_structures),
        "structures_unchanged": plan.count(STRUCTURE, "unchanged"),
        "services_created": len(new_offers),
        "services_updated": len(changed_offers),
        "services_unchanged": plan.count(SERVICE, "unchanged"),
        "rejected": len(plan.rejected),
        "duplicates": duplicates,
    }
    if by is not None:
        record_event(
            action="offers.import.applied",
            by=by,
            territory=getattr(by.organisation, "territory", None),
            data={**counts, "fichier": filename[:100]},
        )
    return counts


def refresh_statistics():
    """After a large import on PostgreSQL: statistics and visibility map of the search tables, as
    autovacuum would do later (index-only scans on the tags need it). Outside any transaction."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in ("offers_offertag", "offers_offerlocation", "offers_offer", "offers_offerstructure"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def summary_line(counts):
    return (
        f"structures : {counts['structures_created']} créée(s), {counts['structures_updated']} mise(s) à jour, "
        f"{counts['structures_unchanged']} inchangée(s) ; services : {counts['services_created']} créé(s), "
        f"{counts['services_updated']} mis à jour, {counts['services_unchanged']} inchangé(s) ; "
        f"{counts['rejected']} enregistrement(s) rejeté(s) ; {counts['duplicates']} doublon(s) probable(s) signalé(s)"
    )
