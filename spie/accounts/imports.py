"""Imports of a territory's structures and professionals, on the one engine of spie.core.imports.

Structures (`siret`, `nom`, `type`, `adresse`, `code_postal`, `commune`, `email`, `telephone`):
a SIRET already known in the territory updates that structure (values are completed or changed,
never blanked); a SIRET known in another territory, or of a national structure, is an error that
names it; the same SIRET twice in the file is an error.

Professionals (`email`, `nom`, `prenom`, `siret_structure`, `role`, `telephone`, `motif`): each row
is an invitation to a structure of the territory, queued and sent in the background. A professional
who already has an account (a member elsewhere) gets a second membership when they accept, never a
second account; one who is already an active member of that structure is left as is, or has their
role changed when the file says another one. Every role in the file is checked against
`perms.can_grant_role` for the membership that imports it (the coordinator gives the orientation
role, only in a structure that may hold it; the coordinator's role is given by a national
administrator; a command-line import gives the structure's roles only), and a territorial role
needs its `motif`.

Both follow the engine's rules: plan (nothing written, row-by-row report), then an all-or-nothing
apply, set-based (bulk writes and one audit event per structure or invitation).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from spie.core.imports import Column, ImportReport, RowResult, parse_csv
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.core.validators import validate_siret
from spie.territories.lookups import CommuneLookup

from . import mailing
from .enums import STRUCTURE_ROLES, TERRITORIAL_ROLES, EmailStatus, OrganisationType, Role
from .models import Invitation, Membership, Organisation, RoleGrant, User, hash_secret
from .perms import can_grant_role, can_withdraw_role, needs_grant_reason

BATCH = 2000

ORGANISATION_COLUMNS = [
    Column("siret", required=True),
    Column("nom", required=True),
    Column("type", required=True),
    Column("adresse", max_length=255),
    Column("code_postal"),
    Column("commune"),
    Column("email", max_length=254),
    Column("telephone"),
]
PROFESSIONAL_COLUMNS = [
    Column("email", required=True, max_length=254),
    Column("nom", required=True),
    Column("prenom", required=True),
    Column("siret_structure", required=True),
    Column("role"),
    Column("telephone"),
    Column("motif"),
]

# Words a coordinator's spreadsheet may use for each type (compared without case or accents).
TYPE_ALIASES = {
    OrganisationType.DEPARTEMENT: ["conseil departemental", "cd", "collectivite", "conseil general"],
    OrganisationType.FRANCE_TRAVAIL: ["ft", "pole emploi", "agence france travail"],
    OrganisationType.MISSION_LOCALE: ["ml"],
    OrganisationType.CAP_EMPLOI: [],
    OrganisationType.PLIE: [],
    OrganisationType.CCAS: ["ccas", "cias", "ccas cias"],
    OrganisationType.ASSOCIATION: ["asso"],
    OrganisationType.SIAE: ["iae", "structure d insertion par l activite economique"],
    OrganisationType.ENTREPRISE: ["societe"],
    OrganisationType.AUTRE: [],
}
ROLE_ALIASES = {
    Role.CONSEILLER: ["conseiller", "conseillere", "accompagnant", "accompagnante", "referent", "referente"],
    Role.GESTIONNAIRE: ["gestionnaire", "manager", "responsable", "directeur", "directrice"],
    Role.CHARGE_ORIENTATION: ["charge d orientation", "chargee d orientation", "orientation"],
    Role.COORDINATEUR: ["coordinateur", "coordinatrice", "pilote", "pilote spie"],
}
IMPORTABLE_ROLES = set(ROLE_ALIASES)
PHONE = re.compile(r"^\+?[0-9 .\-()]{6,20}$")


def _lookup(choices, aliases):
    table = {}
    for value, label in choices:
        table[normalize_for_search(value)] = value
        table[normalize_for_search(label)] = value
    for value, words in aliases.items():
        for word in words:
            table[normalize_for_search(word)] = value
    return table


TYPES = _lookup(OrganisationType.choices, TYPE_ALIASES)
ROLES = _lookup([(v, label) for v, label in Role.choices if v in IMPORTABLE_ROLES], ROLE_ALIASES)


def _check_email(row, column, result, required=False):
    email = row.get(column, "").strip().lower()
    if not email:
        if required:
            result.error(column, "obligatoire")
        return ""
    try:
        validate_email(email)
    except ValidationError:
        result.error(column, f"« {email} » n'est pas une adresse e-mail valide")
    return email


def _check_phone(row, result):
    phone = row.get("telephone", "").strip()
    if phone and not PHONE.match(phone):
        result.error("telephone", f"« {phone} » n'est pas un numéro de téléphone")
    return phone


# --- Structures ---------------------------------------------------------------------------------


def _clean_organisation(row, result, communes):
    values = {}
    siret = row.get("siret", "").replace(" ", "").replace(".", "")
    if not siret:
        result.error("siret", "obligatoire")
    else:
        try:
            validate_siret(siret)
        except ValidationError as error:
            result.error("siret", f"« {siret} » : {error.messages[0]}")
    values["siret"] = siret
    values["name"] = row.get("nom", "").strip()
    if not values["name"]:
        result.error("nom", "obligatoire")
    elif len(values["name"]) > 255:
        result.error("nom", "255 caractères au plus")
    raw_type = row.get("type", "")
    values["type"] = TYPES.get(normalize_for_search(raw_type), "")
    if not raw_type:
        result.error("type", "obligatoire")
    elif not values["type"]:
        known = ", ".join(label for _, label in OrganisationType.choices)
        result.error("type", f"« {raw_type} » non reconnu (attendu : {known})")
    values["address"] = row.get("adresse", "")[:255]
    postal_code = row.get("code_postal", "")
    if postal_code and not re.fullmatch(r"\d{5}", postal_code):
        result.error("code_postal", f"« {postal_code} » invalide (5 chiffres)")
    values["postal_code"] = postal_code
    if row.get("commune"):
        try:
            values["commune"] = communes.resolve(row["commune"], postal_code)
        except ValueError as error:
            result.error("commune", str(error))
    values["email"] = _check_email(row, "email", result)
    values["phone"] = _check_phone(row, result)
    return values


def _organisation_changes(organisation, values):
    return {
        name: value
        for name, value in values.items()
        if name != "siret" and value not in ("", None) and getattr(organisation, name) != value
    }


FIELD_LABELS = {
    "name": "nom",
    "type": "type",
    "address": "adresse",
    "postal_code": "code postal",
    "commune": "commune",
    "email": "e-mail",
    "phone": "téléphone",
}


def plan_organisations(content, *, territory, membership=None, progress=None):
    """Read and check a structures file for `territory`; nothing is written."""
    parsed = parse_csv(content, ORGANISATION_COLUMNS)
    communes = CommuneLookup()
    sirets = [row.get("siret", "").replace(" ", "").replace(".", "") for _, row in parsed.rows]
    existing = {
        o.siret: o
        for o in Organisation.objects.filter(siret__in=[s for s in sirets if s]).select_related("territory", "commune")
    }
    covered = set(territory.communes().values_list("pk", flat=True)) if parsed.rows else set()
    results, seen = [], {}
    for line, row in parsed.rows:
        result = RowResult(line=line, values=row)
        parsed.report_problems(line, result)
        values = _clean_organisation(row, result, communes)
        siret = values["siret"]
        if siret in seen:
            result.error("siret", f"doublon de la ligne {seen[siret]}")
        elif siret:
            seen[siret] = line
        match = existing.get(siret)
        if match is not None and match.territory_id != territory.pk:
            where = f"du territoire {match.territory.name}" if match.territory_id else "nationale"
            result.error("siret", f"déjà utilisé par la structure « {match.name} » {where}")
        commune = values.get("commune")
        if commune is not None and covered and commune.pk not in covered:
            result.messages.append(f"la commune {commune.name} est hors du territoire")
        if not result.rejected:
            if match is None:
                result.action = "create"
            else:
                changes = _organisation_changes(match, values)
                result.action = "update" if changes else "unchanged"
                if changes:
                    result.messages.append("modifié : " + ", ".join(FIELD_LABELS[name] for name in changes))
            result.payload = {"organisation": match, "values": values, "label": values["name"]}
        results.append(result)
        if progress:
            progress(1)
    return ImportReport(results=results, warnings=parsed.warnings)


@transaction.atomic
def apply_organisations(report, *, territory, by, skip_invalid=False, source_import=None, progress=None):
    """Create and update the planned structures in one transaction; one audit event each."""
    if not report.can_apply(skip_invalid):
        raise ValueError("the file has rejected rows")
    created, updated = [], []
    for result in report.results:
        if result.rejected or result.action == "unchanged":
            continue
        organisation, values = result.payload["organisation"], dict(result.payload["values"])
        if organisation is None:
            created.append(Organisation(territory=territory, **values))
        else:
            for name, value in _organisation_changes(organisation, values).items():
                setattr(organisation, name, value)
            organisation.updated_at = timezone.now()
            updated.append(organisation)
        if progress:
            progress(1)
    Organisation.objects.bulk_create(created, batch_size=BATCH)
    Organisation.objects.bulk_update(
        updated, ["name", "type", "address", "postal_code", "commune", "email", "phone", "updated_at"], batch_size=BATCH
    )
    import_id = str(source_import.public_id) if source_import else ""
    events = [
        _event(by, territory, action, organisation, {"import": import_id} if import_id else {})
        for action, group in (("accounts.organisation.imported", created), ("accounts.organisation.updated", updated))
        for organisation in group
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return {"created": len(created), "updated": len(updated), "unchanged": report.count("unchanged")}


def _event(by, territory, action, target, data):
    return AuditEvent(
        actor=getattr(by, "user", None),
        membership=getattr(by, "membership", None),
        territory=territory,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.public_id,
        data=data,
    )


# --- Professionals -------------------------------------------------------------------------------


@dataclass
class ExistingAccounts:
    """What the territory already knows of the file's e-mails, loaded in a few queries."""

    organisations: dict  # siret -> Organisation (any territory, to name the other one)
    users: dict  # email -> User
    memberships: dict  # (email, organisation pk) -> Membership
    pending: dict  # (email, organisation pk) -> Invitation
    elsewhere: dict  # email -> name of one structure where they are an active member
    managers: dict  # organisation pk -> active manager count

    @classmethod
    def load(cls, emails, sirets):
        organisations = {o.siret: o for o in Organisation.objects.filter(siret__in=sirets).select_related("territory")}
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        memberships, elsewhere = {}, {}
        for membership in Membership.objects.filter(user__email__in=emails).select_related("user", "organisation"):
            memberships[(membership.user.email, membership.organisation_id)] = membership
            if membership.is_active and membership.organisation.is_active:
                elsewhere.setdefault(membership.user.email, membership.organisation.name)
        pending = {
            (invitation.email, invitation.organisation_id): invitation
            for invitation in Invitation.objects.pending().filter(email__in=emails)
        }
        org_pks = [o.pk for o in organisations.values()]
        managers = dict(
            Membership.objects.active()
            .filter(organisation_id__in=org_pks, role=Role.GESTIONNAIRE)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
        )
        return cls(organisations, users, memberships, pending, elsewhere, managers)


def _clean_professional(row, result):
    email = _check_email(row, "email", result, required=True)
    values = {"email": email, "last_name": row.get("nom", "").strip(), "first_name": row.get("prenom", "").strip()}
    for column, key in (("nom", "last_name"), ("prenom", "first_name")):
        if not values[key]:
            result.error(column, "obligatoire")
        elif len(values[key]) > 150:
            result.error(column, "150 caractères au plus")
    raw_role = row.get("role", "")
    values["role"] = ROLES.get(normalize_for_search(raw_role), "") if raw_role else Role.CONSEILLER
    if not values["role"]:
        if "admin" in normalize_for_search(raw_role):
            result.error("role", "le rôle d'administrateur national ne se donne pas par import")
        else:
            known = ", ".join(label for value, label in Role.choices if value in IMPORTABLE_ROLES)
            result.error("role", f"« {raw_role} » non reconnu (attendu : {known})")
    values["phone"] = _check_phone(row, result)
    values["siret"] = row.get("siret_structure", "").replace(" ", "")
    if not values["siret"]:
        result.error("siret_structure", "obligatoire")
    values["reason"] = row.get("motif", "").strip()
    if values["role"] and needs_grant_reason(values["role"]) and not values["reason"]:
        result.error("motif", "obligatoire pour un rôle territorial (chargé·e d'orientation, coordinateur·rice)")
    elif len(values["reason"]) > 500:
        result.error("motif", "500 caractères au plus")
    return values


def _check_grant(result, values, organisation, existing, membership):
    """The importing membership may give this row's role in this structure (and take back a
    territorial role the professional holds there). From the command line (no membership), only the
    structure's roles are given."""
    command_line = membership is None and values["role"] in STRUCTURE_ROLES
    if not command_line and not can_grant_role(membership, values["role"], organisation):
        if values["role"] in TERRITORIAL_ROLES:
            who = (
                "le ou la coordinateur·rice du territoire"
                if values["role"] == Role.CHARGE_ORIENTATION
                else "un administrateur national"
            )
            result.error(
                "role",
                f"« {Role(values['role']).label} » se donne par {who}, dans une structure qui peut porter un rôle "
                f"territorial (la structure « {organisation.name} » ne le peut pas, ou vous n'avez pas ce droit)",
            )
        else:
            result.error("role", f"vous ne pouvez pas donner le rôle « {Role(values['role']).label} » ici")
        return
    current = existing.memberships.get((values["email"], organisation.pk))
    if (
        current is not None
        and current.is_active
        and current.role != values["role"]
        and current.role not in STRUCTURE_ROLES
        and (membership is None or not can_withdraw_role(membership, current))
    ):
        result.error("role", f"son rôle actuel « {current.get_role_display()} » ne peut pas être retiré par import")


def _professional_action(result, values, organisation, existing):
    key = (values["email"], organisation.pk)
    membership = existing.memberships.get(key)
    if membership is not None and membership.is_active:
        if membership.role == values["role"]:
            result.action = "unchanged"
            result.messages.append("déjà membre actif de la structure")
            return {"membership": membership}
        if membership.role == Role.GESTIONNAIRE and existing.managers.get(organisation.pk, 0) <= 1:
            result.error("role", "c'est le seul gestionnaire actif de la structure : son rôle ne peut pas changer")
            return None
        if membership.role == Role.ADMIN_NATIONAL:
            result.error("role", "le rôle d'un administrateur national ne se change pas par import")
            return None
        result.action = "update"
        result.messages.append(f"rôle changé : {membership.get_role_display()} → {Role(values['role']).label}")
        return {"membership": membership}
    invitation = existing.pending.get(key)
    if invitation is not None and invitation.role == values["role"]:
        result.action = "unchanged"
        result.messages.append("invitation déjà en attente (elle peut être renvoyée depuis le suivi des invitations)")
        return {"invitation": invitation}
    result.action = "create"
    if invitation is not None:
        result.messages.append("remplace l'invitation en attente (autre rôle)")
    if membership is not None:
        result.messages.append("ancien membre de la structure : invité à nouveau")
    elif values["email"] in existing.elsewhere:
        result.messages.append(
            f"a déjà un compte (membre de {existing.elsewhere[values['email']]}) : "
            "un second rattachement sera créé à l'acceptation"
        )
    return {"replaces": invitation}


def plan_professionals(content, *, territory, membership=None, progress=None):
    """Read and check a professionals file for `territory`, imported by `membership` (None from the
    command line); nothing is written."""
    parsed = parse_csv(content, PROFESSIONAL_COLUMNS)
    emails = {row.get("email", "").strip().lower() for _, row in parsed.rows} - {""}
    sirets = {row.get("siret_structure", "").replace(" ", "") for _, row in parsed.rows} - {""}
    existing = ExistingAccounts.load(emails, sirets)
    results, seen = [], {}
    for line, row in parsed.rows:
        result = RowResult(line=line, values=row)
        parsed.report_problems(line, result)
        values = _clean_professional(row, result)
        organisation = existing.organisations.get(values["siret"])
        if values["siret"] and organisation is None:
            result.error(
                "siret_structure",
                f"aucune structure de SIRET « {values['siret']} » : importez d'abord le fichier des structures",
            )
        elif organisation is not None and organisation.territory_id != territory.pk:
            where = (
                f"au territoire {organisation.territory.name}" if organisation.territory_id else "au niveau national"
            )
            result.error("siret_structure", f"la structure « {organisation.name} » appartient {where}")
        elif organisation is not None and not organisation.is_active:
            result.error("siret_structure", f"la structure « {organisation.name} » est désactivée")
        key = (values["email"], values["siret"])
        if values["email"] and values["siret"]:
            if key in seen:
                result.error("email", f"doublon de la ligne {seen[key]} (même professionnel, même structure)")
            else:
                seen[key] = line
        details = None
        if not result.rejected:
            _check_grant(result, values, organisation, existing, membership)
        if not result.rejected:
            details = _professional_action(result, values, organisation, existing)
        if not result.rejected:
            result.payload = {
                "values": values,
                "organisation": organisation,
                "label": f"{values['first_name']} {values['last_name']} — {organisation.name}",
                **(details or {}),
            }
        results.append(result)
        if progress:
            progress(1)
    return ImportReport(results=results, warnings=parsed.warnings)


@transaction.atomic
def apply_professionals(report, *, territory, by, skip_invalid=False, source_import=None, progress=None):
    """Queue the planned invitations and change the planned roles, in one transaction.

    The e-mails are not sent here: they wait in the queue (see `spie.accounts.mailing`).
    """
    if not report.can_apply(skip_invalid):
        raise ValueError("the file has rejected rows")
    now = timezone.now()
    expires_at = now + timezone.timedelta(days=mailing.INVITATION_VALIDITY_DAYS)
    invitations, role_changes, replaced = [], [], []
    for result in report.results:
        if result.rejected or result.action == "unchanged":
            continue
        payload, values = result.payload, result.payload["values"]
        if result.action == "update":
            membership = payload["membership"]
            role_changes.append((membership, membership.role, values["role"]))
            membership.role = values["role"]
            membership.role_granted_at = now
            membership.role_granted_by = getattr(by, "user", None)
            membership.role_grant_reason = values["reason"] if values["role"] in TERRITORIAL_ROLES else ""
            membership.updated_at = now
        else:
            if payload.get("replaces") is not None:
                replaced.append(payload["replaces"].pk)
            invitations.append(
                Invitation(
                    email=values["email"],
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    phone=values["phone"],
                    organisation=payload["organisation"],
                    role=values["role"],
                    grant_reason=values["reason"] if values["role"] in TERRITORIAL_ROLES else "",
                    token_hash=hash_secret(Invitation.new_token()),
                    invited_by=getattr(by, "user", None),
                    expires_at=expires_at,
                    email_status=EmailStatus.QUEUED,
                    source_import=source_import,
                )
            )
        if progress:
            progress(1)
    Invitation.objects.filter(pk__in=replaced).update(revoked_at=now)
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    Membership.objects.bulk_update(
        [m for m, _, _ in role_changes],
        ["role", "role_granted_at", "role_granted_by", "role_grant_reason", "updated_at"],
        batch_size=BATCH,
    )
    grants = [
        RoleGrant(
            membership=membership,
            role=new if new in TERRITORIAL_ROLES else old,
            withdrawn=new not in TERRITORIAL_ROLES,
            by=getattr(by, "user", None),
            reason=membership.role_grant_reason,
        )
        for membership, old, new in role_changes
        if new in TERRITORIAL_ROLES or old in TERRITORIAL_ROLES
    ]
    RoleGrant.objects.bulk_create(grants, batch_size=BATCH)
    import_data = {"import": str(source_import.public_id)} if source_import else {}
    events = (
        [
            _event(
                by,
                territory,
                "accounts.invitation.created",
                invitation,
                {"organisation": str(invitation.organisation.public_id), "role": invitation.role, **import_data},
            )
            for invitation in invitations
        ]
        + [
            _event(
                by, territory, "accounts.membership.role_changed", membership, {"from": old, "to": new, **import_data}
            )
            for membership, old, new in role_changes
        ]
        + [
            _event(
                by,
                territory,
                "accounts.membership.territorial_role_withdrawn"
                if grant.withdrawn
                else "accounts.membership.territorial_role_granted",
                grant.membership,
                {"role": grant.role, "grant": str(grant.public_id), **import_data},
            )
            for grant in grants
        ]
    )
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    if grants:
        from .services import notify_coordinators

        notify_coordinators(
            territory=territory,
            subject="Rôles territoriaux modifiés par import",
            template="emails/accounts_territorial_roles_imported.txt",
            context={"grants": grants},
        )
    mailing.send_soon([invitation.pk for invitation in invitations])
    return {"invited": len(invitations), "roles": len(role_changes), "unchanged": report.count("unchanged")}
