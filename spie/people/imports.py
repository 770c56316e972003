"""Import of people from a CSV: matching against existing files, then an all-or-nothing write.

Matching order: NIR, France Travail number, Département SI id, then names + birth date. A row
that points at two different files, or contradicts the file it matches, is an error, and so are
duplicates inside the file. Existing values are completed, never blanked.
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from spie.accounts.models import Membership
from spie.core.bulk import insert, insert_rows
from spie.core.imports import Column, ImportReport, RowResult, parse_csv, parse_date
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.territories.lookups import CommuneLookup

from .enums import AccessKind, Sex
from .identifiers import clean_nir, encrypt_nir, lookup_hash, normalize_phone
from .models import AccessLog, FollowUpMember, Person, active_team_q

COLUMNS = [
    Column("identifiant_si"),
    Column("nom", required=True),
    Column("nom_usage"),
    Column("prenom", required=True),
    Column("date_naissance", required=True),
    Column("sexe"),
    Column("commune_naissance"),
    Column("nir"),
    Column("numero_france_travail"),
    Column("numero_caf"),
    Column("email"),
    Column("telephone"),
    Column("adresse"),
    Column("code_postal"),
    Column("commune"),
    Column("date_entree"),
    Column("referent_email"),
]
SEXES = {
    "f": Sex.FEMALE,
    "femme": Sex.FEMALE,
    "2": Sex.FEMALE,
    "m": Sex.MALE,
    "h": Sex.MALE,
    "homme": Sex.MALE,
    "1": Sex.MALE,
}
BATCH = 2000


@dataclass
class ExistingPeople:
    """The territory's files, loaded once, indexed by every matching key."""

    by_nir: dict
    by_france_travail: dict
    by_si: dict
    by_identity: dict
    birth_dates: dict

    @classmethod
    def load(cls, territory):
        by_nir, by_ft, by_si, by_identity, birth_dates = {}, {}, {}, defaultdict(set), {}
        rows = Person.objects.filter(territory=territory, anonymised_at__isnull=True).values_list(
            "pk",
            "nir_hash",
            "france_travail_id",
            "si_id",
            "search_birth_name",
            "search_usage_name",
            "search_first_name",
            "birth_date",
        )
        for pk, nir_hash, ft, si, birth_name, usage_name, first, birth_date in rows.iterator(chunk_size=5000):
            if nir_hash:
                by_nir[nir_hash] = pk
            if ft:
                by_ft[ft] = pk
            if si:
                by_si[si] = pk
            for name in {birth_name, usage_name} - {""}:
                by_identity[(name, first, birth_date)].add(pk)
            birth_dates[pk] = birth_date
        return cls(by_nir, by_ft, by_si, by_identity, birth_dates)


def _referents(territory, organisation):
    """Active memberships of the territory by e-mail, the importing structure's first."""
    memberships = Membership.objects.active().filter(organisation__territory=territory).select_related("user")
    by_email = {}
    for membership in memberships.order_by("pk"):
        email = membership.user.email.lower()
        if email not in by_email or (organisation and membership.organisation_id == organisation.pk):
            by_email[email] = membership
    return by_email


def _clean_row(row, result, communes, referents):
    """Validate one row; returns the Person field values (and the NIR, referent apart)."""
    values = {}
    values["birth_name"] = row.get("nom", "")
    values["first_names"] = row.get("prenom", "")
    for column in ("nom", "prenom"):
        if not row.get(column):
            result.error(column, "obligatoire")
    values["usage_name"] = row.get("nom_usage", "")
    try:
        values["birth_date"] = parse_date(row.get("date_naissance", ""))
        if values["birth_date"] > timezone.localdate():
            result.error("date_naissance", "date dans le futur")
    except ValueError as error:
        result.error("date_naissance", str(error))
    sex = row.get("sexe", "").lower()
    if sex and sex not in SEXES:
        result.error("sexe", f"« {row['sexe']} » non reconnu (F ou M)")
    values["sex"] = SEXES.get(sex, "")
    values["birth_place"] = row.get("commune_naissance", "")
    nir = ""
    if row.get("nir"):
        try:
            nir = clean_nir(row["nir"])
        except ValidationError as error:
            result.error("nir", error.messages[0])
        else:
            birth_date = values.get("birth_date")
            month = nir[3:5]
            if (
                birth_date
                and "01" <= month <= "12"
                and (nir[1:3], month) != (birth_date.strftime("%y"), birth_date.strftime("%m"))
            ):
                result.error("nir", "le NIR ne correspond pas à la date de naissance")
    ft = row.get("numero_france_travail", "").replace(" ", "").upper()
    if ft and not re.fullmatch(r"\d{7}[0-9A-Z]", ft):
        result.error("numero_france_travail", f"« {ft} » invalide (7 chiffres puis une lettre ou un chiffre)")
    values["france_travail_id"] = ft
    values["si_id"] = row.get("identifiant_si", "")
    caf = row.get("numero_caf", "").replace(" ", "")
    if caf and not caf.isdigit():
        result.error("numero_caf", f"« {caf} » invalide (chiffres uniquement)")
    values["caf_number"] = caf
    email = row.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            result.error("email", f"« {email} » n'est pas une adresse e-mail valide")
    values["email"] = email
    try:
        values["phone"] = normalize_phone(row.get("telephone", ""))
    except ValidationError as error:
        result.error("telephone", error.messages[0])
    values["address"] = row.get("adresse", "")
    postal_code = row.get("code_postal", "")
    if postal_code and not re.fullmatch(r"\d{5}", postal_code):
        result.error("code_postal", f"« {postal_code} » invalide (5 chiffres)")
    values["postal_code"] = postal_code
    if row.get("commune"):
        try:
            values["commune"] = communes.resolve(row["commune"], postal_code)
        except ValueError as error:
            result.error("commune", str(error))
    if row.get("date_entree"):
        try:
            values["entry_date"] = parse_date(row["date_entree"])
        except ValueError as error:
            result.error("date_entree", str(error))
    referent = None
    if row.get("referent_email"):
        referent = referents.get(row["referent_email"].lower())
        if referent is None:
            result.error(
                "referent_email",
                f"« {row['referent_email']} » n'est membre actif d'aucune structure du territoire",
            )
    return values, nir, referent


def _match(result, values, nir_hash, existing):
    """The existing file this row is about (None for a new one), or an error."""
    keys = [
        ("NIR", existing.by_nir.get(nir_hash) if nir_hash else None),
        (
            "numéro France Travail",
            existing.by_france_travail.get(values["france_travail_id"]) if values["france_travail_id"] else None,
        ),
        ("identifiant SI", existing.by_si.get(values["si_id"]) if values["si_id"] else None),
    ]
    found = {pk: label for label, pk in reversed(keys) if pk is not None}
    if len(found) > 1:
        result.error(
            "",
            "la ligne correspond à plusieurs dossiers différents (" + ", ".join(sorted(found.values())) + ")",
        )
        return None
    if found:
        pk = next(iter(found))
        if values.get("birth_date") and existing.birth_dates[pk] != values["birth_date"]:
            result.error("date_naissance", f"contredit le dossier trouvé par {found[pk]} (autre date de naissance)")
        return pk
    if "birth_date" not in values:
        return None
    first = normalize_for_search(values["first_names"]).split(" ")[0]
    candidates = set()
    for name in {normalize_for_search(values["birth_name"]), normalize_for_search(values["usage_name"])} - {""}:
        candidates |= existing.by_identity.get((name, first, values["birth_date"]), set())
    if len(candidates) > 1:
        result.error("", "plusieurs dossiers ont ces nom, prénom et date de naissance : précisez un identifiant")
        return None
    return next(iter(candidates), None)


def _file_keys(values, nir_hash):
    keys = [
        ("nir", nir_hash),
        ("numero_france_travail", values["france_travail_id"]),
        ("identifiant_si", values["si_id"]),
    ]
    if values.get("birth_date"):
        identity = (
            normalize_for_search(values["birth_name"]),
            normalize_for_search(values["first_names"]).split(" ")[0],
            values["birth_date"],
        )
        keys.append(("identité", identity))
    return [(label, key) for label, key in keys if key]


def plan_import(content, *, territory, organisation=None, progress=None):
    """Read and check the whole file; nothing is written. Returns the report, row by row."""
    parsed = parse_csv(content, COLUMNS)
    existing = ExistingPeople.load(territory)
    communes, referents = CommuneLookup(), _referents(territory, organisation)
    results, seen = [], {}
    for line, row in parsed.rows:
        result = RowResult(line=line)
        values, nir, referent = _clean_row(row, result, communes, referents)
        nir_hash = lookup_hash(nir)
        for label, key in _file_keys(values, nir_hash):
            if (label, key) in seen:
                result.error("", f"doublon de la ligne {seen[(label, key)]} ({label})")
            else:
                seen[(label, key)] = line
        match = _match(result, values, nir_hash, existing)
        if not result.rejected:
            result.action = "update" if match else "create"
            result.payload = {"person_pk": match, "values": values, "nir": nir, "referent": referent}
        results.append(result)
        if progress:
            progress(1)
    return ImportReport(results=results, warnings=parsed.warnings)


def _changes(person, values, nir):
    changes = {
        name: value for name, value in values.items() if value not in ("", None) and getattr(person, name) != value
    }
    if nir and lookup_hash(nir) != person.nir_hash:
        changes["nir"] = nir
    return changes


@transaction.atomic
def apply_import(report, *, territory, by, organisation=None, skip_invalid=False, progress=None):
    """Write the planned rows in one transaction; refuses a file with errors unless skip_invalid."""
    if not report.can_apply(skip_invalid):
        raise ValueError("the file has rejected rows")
    rows = [result for result in report.results if not result.rejected]
    now, today = timezone.now(), timezone.localdate()
    to_update = Person.objects.in_bulk([r.payload["person_pk"] for r in rows if r.payload["person_pk"]])
    created, updated, referents_to_set = [], [], []
    for result in rows:
        payload = result.payload
        values, nir, referent = payload["values"], payload["nir"], payload["referent"]
        if payload["person_pk"] is None:
            person = Person(
                territory=territory,
                entry_date=values.pop("entry_date", today),
                last_activity_at=now,
                **values,
            )
            person.nir_encrypted, person.nir_hash = encrypt_nir(nir), lookup_hash(nir)
            person.refresh_search_keys()
            created.append(person)
        else:
            person = to_update[payload["person_pk"]]
            changes = _changes(person, values, nir)
            if changes.pop("nir", None):
                person.nir_encrypted, person.nir_hash = encrypt_nir(nir), lookup_hash(nir)
            for name, value in changes.items():
                setattr(person, name, value)
            if changes or nir:
                person.refresh_search_keys()
                person.last_activity_at = now
                updated.append(person)
            else:
                result.action = "unchanged"
        if referent is not None:
            referents_to_set.append((person, referent))
        if progress:
            progress(1)
    insert(Person, created)
    fields = [
        "birth_name",
        "usage_name",
        "first_names",
        "birth_date",
        "sex",
        "birth_place",
        "email",
        "phone",
        "address",
        "postal_code",
        "commune",
        "si_id",
        "france_travail_id",
        "caf_number",
        "entry_date",
        "nir_encrypted",
        "nir_hash",
        "search_birth_name",
        "search_usage_name",
        "search_first_name",
        "last_activity_at",
    ]
    Person.objects.bulk_update(updated, fields, batch_size=BATCH)
    created_pks = {person.pk for person in created}
    seat_count = _referent_seats(referents_to_set, territory, created_pks)
    touched = created + updated
    _log_writes(
        touched,
        territory=territory,
        by=by,
        organisation=organisation or getattr(by, "organisation", None),
        now=now,
    )
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(rows) - len(touched),
        "referents": seat_count,
    }


def _referent_seats(pairs, territory, created):
    """Make the given professional referent where the person has no active referent yet.

    New files get their referent seat directly; only the existing ones are looked up."""
    existing_pks = [person.pk for person, _ in pairs if person.pk not in created]
    active = FollowUpMember.objects.filter(active_team_q(), person_id__in=existing_pks)
    with_referent = set(active.filter(is_referent=True).values_list("person_id", flat=True)) if existing_pks else set()
    seated = {(p, m): pk for pk, p, m in active.values_list("pk", "person_id", "membership_id")} if existing_pks else {}
    promote, seats = [], []
    for person, membership in pairs:
        if person.pk in with_referent:
            continue
        seat_pk = seated.get((person.pk, membership.pk))
        if seat_pk is not None:
            promote.append(seat_pk)
        else:
            seats.append(
                {
                    "public_id": uuid.uuid4(),
                    "person_id": person.pk,
                    "territory_id": territory.pk,
                    "membership_id": membership.pk,
                    "is_referent": True,
                    "started_on": timezone.localdate(),
                }
            )
        with_referent.add(person.pk)
    FollowUpMember.objects.filter(pk__in=promote).update(is_referent=True)
    return insert_rows(FollowUpMember, seats)


def _log_writes(people, *, territory, by, organisation, now):
    user_id = getattr(getattr(by, "user", None), "pk", None)
    membership_id = getattr(getattr(by, "membership", None), "pk", None)
    organisation_id = organisation.pk if organisation else None
    insert_rows(
        AuditEvent,
        (
            {
                "actor_id": user_id,
                "membership_id": membership_id,
                "territory_id": territory.pk,
                "action": "people.person.imported",
                "target_type": "people.person",
                "target_id": person.public_id,
                "subject_id": person.public_id,
                "data": {},
            }
            for person in people
        ),
    )
    insert_rows(
        AccessLog,
        (
            {
                "person_id": person.pk,
                "territory_id": territory.pk,
                "user_id": user_id,
                "organisation_id": organisation_id,
                "kind": AccessKind.WRITE,
                "what": "Import d'un fichier",
                "at": now,
            }
            for person in people
        ),
    )
