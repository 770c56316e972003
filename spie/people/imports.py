"""Import of people from a CSV: matching against existing files, then an all-or-nothing write.

Matching order: NIR, France Travail number, Département SI id, then names + birth date. A row
that points at two different files, or contradicts the file it matches, is an error, and so are
duplicates inside the file. Existing values are completed, never blanked.
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core import plugins
from spie.core.bulk import insert, insert_rows
from spie.core.imports import Column, ImportReport, RowResult, parse_csv, parse_date
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.territories.lookups import CommuneLookup

from .enums import AccessKind, JoinRequestStatus, Sex
from .identifiers import clean_nir, encrypt_nir, lookup_hash, normalize_phone
from .models import AccessLog, FollowUpMember, JoinRequest, Person, active_team_q
from .perms import can_seat_referent_by_import, can_update_by_import
from .services import CONTACT_CHANNELS

COLUMNS = [
    Column("identifiant_si", max_length=50),
    Column("nom", required=True, max_length=150),
    Column("nom_usage", max_length=150),
    Column("prenom", required=True, max_length=255),
    Column("date_naissance", required=True),
    Column("sexe"),
    Column("commune_naissance", max_length=255),
    Column("nir"),
    Column("numero_france_travail"),
    Column("numero_caf", max_length=20),
    Column("email", max_length=254),
    Column("telephone"),
    Column("adresse", max_length=255),
    Column("code_postal"),
    Column("commune"),
    Column("date_entree"),
    Column("referent_email", max_length=254),
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


class PeopleImportReport(ImportReport):
    """The engine's report, plus the rows that become join requests instead of writes."""

    def summary(self):
        text = super().summary()
        joins = self.count("join") + self.count("pending")
        return f"{text}, {joins} déjà suivie(s) par d'autres structures" if joins else text


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
    search_keys = (
        ("nom", normalize_for_search(values["birth_name"]), "search_birth_name"),
        ("nom_usage", normalize_for_search(values["usage_name"]), "search_usage_name"),
        ("prenom", normalize_for_search(values["first_names"]).split(" ")[0], "search_first_name"),
    )
    for column, key, field_name in search_keys:
        limit = Person._meta.get_field(field_name).max_length
        if len(key) > limit:
            result.error(column, f"trop long une fois normalisé (au plus {limit} caractères)")
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


def _active_teams(person_pks):
    """The active follow-up seats of the matched files, by person (a query per batch, not per row)."""
    teams = defaultdict(list)
    pks = sorted(set(person_pks))
    for start in range(0, len(pks), BATCH):
        seats = (
            FollowUpMember.objects.active()
            .filter(person_id__in=pks[start : start + BATCH])
            .select_related("membership__organisation")
            .order_by("pk")
        )
        for seat in seats:
            teams[seat.person_id].append(seat)
    return teams


def _scope(results, *, territory, membership):
    """Restrict the plan to what the importing membership may write.

    A row matching a file its structure does not follow becomes a join request (`join`), never a
    write; a referent is seated in an existing file only where the importer may manage the team."""
    matched = [r for r in results if not r.rejected and r.payload["person_pk"]]
    if not matched:
        return
    pks = [r.payload["person_pk"] for r in matched]
    teams = _active_teams(pks)
    pending = set(
        JoinRequest.objects.filter(
            person__territory=territory, membership=membership, status=JoinRequestStatus.PENDING
        ).values_list("person_id", flat=True)
    )
    for result in matched:
        pk = result.payload["person_pk"]
        person = Person(pk=pk, territory_id=territory.pk)
        person.__dict__["active_team"] = teams[pk]
        if not can_update_by_import(membership, person):
            structures = sorted({seat.membership.organisation.name for seat in teams[pk]})
            followed = "dossier existant sans équipe de suivi"
            if structures:
                followed = f"déjà suivi·e par {', '.join(structures)}"
            if pk in pending:
                result.messages.append(f"{followed} : votre demande pour rejoindre son équipe de suivi est en attente")
                result.action = "pending"
            else:
                result.messages.append(
                    f"{followed} : une demande pour rejoindre l'équipe de suivi sera envoyée, "
                    "le dossier ne sera pas modifié"
                )
                result.action = "join"
            result.payload = {"person_pk": pk, "join": True}
        elif result.payload["referent"] is not None and not can_seat_referent_by_import(membership, person):
            if not any(seat.is_referent for seat in teams[pk]):
                result.messages.append(
                    "colonne « referent_email » : référent·e non désigné·e, seul·e le ou la référent·e ou "
                    "le ou la chargé·e d'orientation peut le désigner dans un dossier existant"
                )
            result.payload["referent"] = None


def plan_import(content, *, territory, organisation=None, membership=None, progress=None):
    """Read and check the whole file; nothing is written. Returns the report, row by row.

    With the importing `membership` (an import from the site), only the files its structure
    follows are updated; the others are reported and turn into join requests. Without it (the
    operator's command), the whole territory is in scope."""
    if membership is not None:
        organisation = membership.organisation
    parsed = parse_csv(content, COLUMNS)
    existing = ExistingPeople.load(territory)
    communes, referents = CommuneLookup(), _referents(territory, organisation)
    results, seen = [], {}
    for line, row in parsed.rows:
        result = RowResult(line=line)
        parsed.report_problems(line, result)
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
            result.values = {"birth_name": values["birth_name"], "first_names": values["first_names"]}
        results.append(result)
        if progress:
            progress(1)
    if membership is not None:
        _scope(results, territory=territory, membership=membership)
    return PeopleImportReport(results=results, warnings=parsed.warnings)


def _changes(person, values, nir):
    changes = {
        name: value for name, value in values.items() if value not in ("", None) and getattr(person, name) != value
    }
    if nir and lookup_hash(nir) != person.nir_hash:
        changes["nir"] = nir
    return changes


@transaction.atomic
def apply_import(report, *, territory, by, organisation=None, skip_invalid=False, progress=None):
    """Write the planned rows in one transaction; refuses a file with errors unless skip_invalid.

    Rows planned as join requests ask to join the team of a file the importer's structure does
    not follow; files created from the site are followed by the importer's structure."""
    if not report.can_apply(skip_invalid):
        raise ValueError("the file has rejected rows")
    valid = [result for result in report.results if not result.rejected]
    # Two rows may match the same file by different keys: one request per file.
    joins = list(dict.fromkeys(result.payload["person_pk"] for result in valid if result.action == "join"))
    rows = [result for result in valid if not result.payload.get("join")]
    now, today = timezone.now(), timezone.localdate()
    to_update = Person.objects.in_bulk([r.payload["person_pk"] for r in rows if r.payload["person_pk"]])
    created, updated, referents_to_set, contact_changes = [], [], [], []
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
            contact_changes += [(person, name, getattr(person, name)) for name in CONTACT_CHANNELS if name in changes]
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
    for person, name, previous in contact_changes:
        # As on the file's form: the old contact is told, the new one waits for confirmation.
        plugins.contact_changed(person, channel=CONTACT_CHANNELS[name], previous=previous, by=by)
    created_pks = {person.pk for person in created}
    seat_count = _referent_seats(referents_to_set, territory, created_pks)
    importer = getattr(by, "membership", None)
    if importer is not None:
        _seat_importer(created, referents_to_set, importer, territory)
        _request_to_join(joins, territory=territory, by=by)
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
        "join_requests": len(joins) if importer is not None else 0,
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
    promoted = FollowUpMember.objects.filter(pk__in=promote).update(is_referent=True)
    return promoted + insert_rows(FollowUpMember, seats)


def _seat_importer(created, referents_to_set, importer, territory):
    """A file created from the site is followed by the importer's structure: the importing
    membership joins the team unless the file's referent is from that structure."""
    referent_orgs = {person.pk: membership.organisation_id for person, membership in referents_to_set}
    insert_rows(
        FollowUpMember,
        (
            {
                "public_id": uuid.uuid4(),
                "person_id": person.pk,
                "territory_id": territory.pk,
                "membership_id": importer.pk,
                "is_referent": False,
                "started_on": timezone.localdate(),
            }
            for person in created
            if referent_orgs.get(person.pk) != importer.organisation_id
        ),
    )


def _request_to_join(person_pks, *, territory, by):
    """The importer asks to join the teams of files its structure does not follow: pending join
    requests (decided by the referent, or the orientation officers), audited, one e-mail per
    decider. Nothing is written in the files themselves."""
    if not person_pks:
        return
    membership = by.membership
    message = f"Personne présente dans un fichier importé par {membership.organisation.name}."
    requests, events = [], []
    public_ids = dict(Person.objects.filter(pk__in=person_pks).values_list("pk", "public_id"))
    for pk in person_pks:
        request_id = uuid.uuid4()
        requests.append(
            {
                "public_id": request_id,
                "person_id": pk,
                "territory_id": territory.pk,
                "membership_id": membership.pk,
                "message": message,
                "status": JoinRequestStatus.PENDING,
            }
        )
        events.append(
            {
                "actor_id": getattr(getattr(by, "user", None), "pk", None),
                "membership_id": membership.pk,
                "territory_id": territory.pk,
                "action": "people.join_request.created",
                "target_type": "people.joinrequest",
                "target_id": request_id,
                "subject_id": public_ids[pk],
                "data": {"import": True},
            }
        )
    insert_rows(JoinRequest, requests)
    insert_rows(AuditEvent, events)
    _notify_deciders(person_pks, territory=territory, membership=membership)


def _notify_deciders(person_pks, *, territory, membership):
    """One e-mail per decider (the referent, else the territory's orientation officers) with the
    number of requests waiting for them."""
    referents = dict(
        FollowUpMember.objects.active()
        .filter(person_id__in=person_pks, is_referent=True)
        .values_list("person_id", "membership__user__email")
    )
    officers = []
    if len(referents) < len(set(person_pks)):
        officers = list(
            Membership.objects.active()
            .filter(role=Role.CHARGE_ORIENTATION, organisation__territory=territory)
            .values_list("user__email", flat=True)
        )
    counts = defaultdict(int)
    for pk in person_pks:
        for email in [referents[pk]] if pk in referents else officers:
            if email:
                counts[email] += 1
    for email, count in counts.items():
        body = render_to_string(
            "emails/join_requests_imported.txt",
            {"membership": membership, "count": count, "site_url": settings.SITE_URL},
        )
        transaction.on_commit(
            lambda body=body, email=email: send_mail(
                "Plateforme SPIE : demandes pour rejoindre des équipes de suivi", body, None, [email]
            )
        )


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
