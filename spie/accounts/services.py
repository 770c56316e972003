"""Every write on accounts, structures and memberships: atomic and audited."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.core.models import AuditEvent

from . import mailing
from .actors import Actor
from .deactivation import pending_hand_overs
from .enums import STRUCTURE_ROLES, TERRITORIAL_ROLES, ApiTokenScope, EmailStatus, Role
from .models import ApiToken, Invitation, Membership, RoleGrant, User, hash_secret
from .perms import can_change_role, can_grant_role, can_grant_token_scope, can_withdraw_role, needs_grant_reason

INVITATION_VALIDITY = timedelta(days=mailing.INVITATION_VALIDITY_DAYS)
REASON_MAX_LENGTH = 500
REFUSED_ROLE = (
    "Vous ne pouvez pas donner ce rôle dans cette structure : un·e gestionnaire donne les rôles de "
    "conseiller·ère et de gestionnaire ; le rôle de chargé·e d'orientation est donné par le ou la "
    "coordinateur·rice du territoire, celui de coordinateur·rice par un administrateur national, et "
    "seulement dans une structure qui peut porter un rôle territorial."
)


def _territory(organisation):
    return organisation.territory if organisation.territory_id else None


def _clean_reason(role, reason):
    """The written reason a territorial role needs (empty for other roles)."""
    reason = (reason or "").strip()
    if needs_grant_reason(role) and not reason:
        raise DomainError("Indiquez le motif : un rôle territorial se donne toujours avec un motif.", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(f"Le motif fait {REASON_MAX_LENGTH} caractères au plus.", field="reason")
    return reason


def notify_coordinators(*, territory, subject, template, context):
    """E-mail the active coordinators of `territory` once the transaction commits."""
    if territory is None:
        return
    recipients = sorted(
        set(
            Membership.objects.active()
            .filter(organisation__territory=territory, role=Role.COORDINATEUR)
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return
    body = render_to_string(
        template,
        {
            **context,
            "territory": territory,
            "list_url": settings.SITE_URL + reverse("accounts:territorial_roles"),
        },
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def record_territorial_grant(*, membership, role, reason, by, withdrawn=False, data=None):
    """Write the grant (or withdrawal) of a territorial role: its history row, the audit event and
    the e-mail to the territory's coordinators. The caller has checked the right and the reason."""
    territory = _territory(membership.organisation)
    grant = RoleGrant.objects.create(
        membership=membership, role=role, withdrawn=withdrawn, by=getattr(by, "user", None), reason=reason
    )
    record_event(
        action="accounts.membership.territorial_role_withdrawn"
        if withdrawn
        else "accounts.membership.territorial_role_granted",
        target=membership,
        by=by,
        territory=territory,
        data={"role": role, "grant": str(grant.public_id), **(data or {})},
    )
    notify_coordinators(
        territory=territory,
        subject=("Rôle territorial retiré" if withdrawn else "Rôle territorial donné") + f" : {Role(role).label}",
        template="emails/accounts_territorial_role.txt",
        context={"membership": membership, "role": Role(role).label, "grant": grant, "withdrawn": withdrawn},
    )
    return grant


def _stamp_role(membership, role, reason, by, now):
    membership.role = role
    membership.role_granted_at = now
    membership.role_granted_by = getattr(by, "user", None)
    membership.role_grant_reason = reason


@transaction.atomic
def invite_professional(*, organisation, email, role, first_name="", last_name="", phone="", reason="", by):
    """Invite `email` to join `organisation` with `role`. The e-mail is queued and sent right after
    the transaction commits (the link is made at sending time); returns the invitation.

    A territorial role needs the right to grant it here (`can_grant_role`) and a written reason; it
    is checked again when the invitation is accepted."""
    email = email.strip().lower()
    if not can_grant_role(by.membership, role, organisation):
        raise DomainError(REFUSED_ROLE, field="role")
    reason = _clean_reason(role, reason)
    if Membership.objects.filter(organisation=organisation, user__email=email, is_active=True).exists():
        raise DomainError("Cette personne est déjà membre active de la structure.", field="email")
    now = timezone.now()
    organisation.invitations.pending().filter(email=email).update(revoked_at=now)
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        organisation=organisation,
        role=role,
        grant_reason=reason,
        token_hash=hash_secret(Invitation.new_token()),
        invited_by=by.user,
        expires_at=now + INVITATION_VALIDITY,
    )
    record_event(
        action="accounts.invitation.created",
        target=invitation,
        by=by,
        territory=_territory(organisation),
        data={"organisation": str(organisation.public_id), "role": role},
    )
    mailing.send_soon([invitation.pk])
    return invitation


@transaction.atomic
def resend_invitation(*, invitation, by):
    """Queue the invitation's e-mail again with a new link (the previous link stops working)."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError("Cette invitation a déjà été acceptée.")
    if invitation.revoked_at is not None:
        raise DomainError("Cette invitation a été annulée : invitez de nouveau le professionnel.")
    if invitation.email_status in (EmailStatus.QUEUED, EmailStatus.SENDING):
        raise DomainError("L'e-mail de cette invitation est déjà en attente d'envoi.")
    mailing.requeue(Invitation.objects.filter(pk=invitation.pk))
    record_event(
        action="accounts.invitation.resent",
        target=invitation,
        by=by,
        territory=_territory(invitation.organisation),
        data={"organisation": str(invitation.organisation.public_id)},
    )
    mailing.send_soon([invitation.pk])
    invitation.refresh_from_db()
    return invitation


@transaction.atomic
def resend_failed_invitations(*, invitations, by, territory=None):
    """Queue again every failed or unanswered invitation of `invitations` (a queryset): one update,
    one audit event per invitation."""
    keys = list(
        invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .exclude(email_status__in=[EmailStatus.QUEUED, EmailStatus.SENDING])
        .values_list("pk", "public_id")
    )
    mailing.requeue(Invitation.objects.filter(pk__in=[pk for pk, _ in keys]))
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=by.user,
            membership=by.membership,
            territory=territory,
            action="accounts.invitation.resent",
            target_type="accounts.invitation",
            target_id=public_id,
        )
        for _, public_id in keys
    )
    mailing.send_soon([pk for pk, _ in keys])
    return len(keys)


def find_usable_invitation(raw_token):
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_secret(raw_token)).first()
    return invitation if invitation and invitation.is_usable else None


@transaction.atomic
def accept_invitation(*, invitation, first_name="", last_name="", password=None):
    """Create the account (or reuse the existing one) and the membership the invitation offers."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=invitation.pk)
    if not invitation.is_usable:
        raise DomainError("Cette invitation a expiré ou a déjà été utilisée.")
    inviter = _inviter_membership(invitation)
    if invitation.role not in Role.values or (invitation.role not in STRUCTURE_ROLES and inviter is None):
        raise DomainError(
            "Cette invitation donne un rôle que la personne qui l'a envoyée ne peut pas donner dans cette "
            "structure : elle n'est plus valable. Demandez une nouvelle invitation."
        )
    if needs_grant_reason(invitation.role) and not invitation.grant_reason.strip():
        raise DomainError(
            "Cette invitation donne un rôle territorial sans motif : elle n'est plus valable. "
            "Demandez une nouvelle invitation."
        )
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        if not password:
            raise DomainError("Choisissez un mot de passe.", field="password1")
        user = User.objects.create_user(
            invitation.email, password, first_name=first_name, last_name=last_name, phone=invitation.phone
        )
    now = timezone.now()
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership(user=user, organisation=invitation.organisation)
    elif (
        membership.role != invitation.role
        and membership.role not in STRUCTURE_ROLES
        and not can_withdraw_role(inviter, membership)
    ):
        raise DomainError(
            "Vous avez déjà dans cette structure un rôle que cette invitation ne peut pas remplacer : "
            "demandez au ou à la coordinateur·rice du territoire."
        )
    changed = membership.pk is None or membership.role != invitation.role
    if changed:
        by = Actor(user=invitation.invited_by, membership=inviter)
        _stamp_role(membership, invitation.role, invitation.grant_reason.strip(), by, now)
    membership.is_active = True
    membership.deactivated_at = None
    membership.save()
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at", "updated_at"])
    record_event(
        action="accounts.invitation.accepted",
        target=invitation,
        by=Actor(user=user, membership=membership),
        territory=_territory(invitation.organisation),
        data={"membership": str(membership.public_id), "role": membership.role},
    )
    if changed and invitation.role in TERRITORIAL_ROLES:
        record_territorial_grant(
            membership=membership,
            role=invitation.role,
            reason=invitation.grant_reason.strip(),
            by=Actor(user=invitation.invited_by, membership=inviter),
            data={"invitation": str(invitation.public_id)},
        )
    return user, membership


def _inviter_membership(invitation):
    """An active membership of the inviter that may still grant the invitation's role in its
    structure (None when there is none: an invitation sent before the rule, or by someone who has
    since lost the right, no longer grants anything)."""
    if invitation.invited_by_id is None:
        return None
    candidates = (
        Membership.objects.active()
        .filter(user_id=invitation.invited_by_id)
        .select_related("organisation__territory", "user")
        .order_by("pk")
    )
    return next((m for m in candidates if can_grant_role(m, invitation.role, invitation.organisation)), None)


def _ensure_a_manager_remains(membership):
    if membership.role != Role.GESTIONNAIRE:
        return
    others = (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role=Role.GESTIONNAIRE)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise DomainError("La structure doit garder au moins un gestionnaire actif : nommez-en un autre d'abord.")


def _locked_membership(membership):
    """The membership, locked for the transaction (its row only: the territory may be missing)."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation__territory")
        .get(pk=membership.pk)
    )


@transaction.atomic
def change_member_role(*, membership, role, by, reason=""):
    """Give `membership` the role `role`. The right is `can_change_role` (a structure manager gives
    only the structure's roles; territorial roles come from the coordinator or a national
    administrator); a territorial role needs a written reason, is kept in the role history and
    e-mailed to the territory's coordinators."""
    if role not in Role.values:
        raise DomainError("Ce rôle n'existe pas.", field="role")
    membership = _locked_membership(membership)
    if not can_change_role(by.membership, membership, role):
        raise DomainError(REFUSED_ROLE, field="role")
    reason = _clean_reason(role, reason)
    if role == membership.role:
        return membership
    if role != Role.GESTIONNAIRE:
        _ensure_a_manager_remains(membership)
    previous = membership.role
    _stamp_role(membership, role, reason, by, timezone.now())
    membership.save(update_fields=["role", "role_granted_at", "role_granted_by", "role_grant_reason", "updated_at"])
    record_event(
        action="accounts.membership.role_changed",
        target=membership,
        by=by,
        territory=_territory(membership.organisation),
        data={"from": previous, "to": role},
    )
    if role in TERRITORIAL_ROLES:
        record_territorial_grant(membership=membership, role=role, reason=reason, by=by)
    elif previous in TERRITORIAL_ROLES:
        record_territorial_grant(membership=membership, role=previous, reason="", by=by, withdrawn=True)
    return membership


@transaction.atomic
def withdraw_territorial_role(*, membership, reason, by):
    """Take a territorial role back from `membership`: the member stays in the structure as a
    counsellor. The coordinator withdraws an orientation officer's role, a national administrator
    any territorial role; always with a written reason."""
    membership = _locked_membership(membership)
    if membership.role not in TERRITORIAL_ROLES:
        raise DomainError("Ce membre n'a pas de rôle territorial.", field="role")
    if not can_withdraw_role(by.membership, membership):
        raise DomainError("Vous ne pouvez pas retirer ce rôle.", field="role")
    if by.membership is not None and membership.pk == by.membership.pk:
        raise DomainError("Vous ne pouvez pas retirer votre propre rôle : demandez-le à un administrateur national.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Indiquez le motif du retrait.", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(f"Le motif fait {REASON_MAX_LENGTH} caractères au plus.", field="reason")
    previous = membership.role
    _stamp_role(membership, Role.CONSEILLER, "", by, timezone.now())
    membership.save(update_fields=["role", "role_granted_at", "role_granted_by", "role_grant_reason", "updated_at"])
    record_event(
        action="accounts.membership.role_changed",
        target=membership,
        by=by,
        territory=_territory(membership.organisation),
        data={"from": previous, "to": Role.CONSEILLER},
    )
    record_territorial_grant(membership=membership, role=previous, reason=reason, by=by, withdrawn=True)
    return membership


@transaction.atomic
def deactivate_member(*, membership, by):
    """End a professional's membership; their accounts and history stay."""
    if not membership.is_active:
        raise DomainError("Ce membre est déjà désactivé.")
    _ensure_a_manager_remains(membership)
    pending = pending_hand_overs(membership)
    if pending:
        raise DomainError("Avant la désactivation : " + " ; ".join(item.label for item in pending) + ".")
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    record_event(
        action="accounts.membership.deactivated",
        target=membership,
        by=by,
        territory=_territory(membership.organisation),
    )
    return membership


@transaction.atomic
def update_profile(*, user, first_name, last_name, phone, by):
    changed = [
        name
        for name, value in (("first_name", first_name), ("last_name", last_name), ("phone", phone))
        if getattr(user, name) != value
    ]
    if not changed:
        return user
    user.first_name, user.last_name, user.phone = first_name, last_name, phone
    user.save(update_fields=[*changed, "updated_at"])
    record_event(action="accounts.user.updated", target=user, by=by, data={"fields": changed})
    return user


@transaction.atomic
def create_api_token(*, organisation, name, by, scope=ApiTokenScope.STRUCTURE, reason=""):
    """Create a token for `organisation`; the raw key is returned once and never stored.

    A token reaches the people its structure follows. The orientation scope (the territory's
    orientation work) is given only as `can_grant_token_scope` says, with a written reason, and is
    e-mailed to the territory's coordinators. A command-line token (`by` None) has the structure
    scope only."""
    if scope not in ApiTokenScope.values:
        raise DomainError("Cette portée n'existe pas.", field="scope")
    reason = (reason or "").strip()
    if scope == ApiTokenScope.ORIENTATION:
        if not can_grant_token_scope(getattr(by, "membership", None), organisation, scope):
            raise DomainError(
                "La portée « orientation » se donne par le ou la coordinateur·rice du territoire, à une structure "
                "qui peut porter un rôle territorial.",
                field="scope",
            )
        if not reason:
            raise DomainError("Indiquez le motif de la portée « orientation ».", field="reason")
        if len(reason) > REASON_MAX_LENGTH:
            raise DomainError(f"Le motif fait {REASON_MAX_LENGTH} caractères au plus.", field="reason")
    raw_key = ApiToken.new_key()
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=raw_key[5:13],
        key_hash=hash_secret(raw_key),
        created_by=getattr(by, "user", None),
        scope=scope,
        scope_reason=reason,
    )
    record_event(
        action="accounts.api_token.created",
        target=token,
        by=by,
        territory=_territory(organisation),
        data={"name": name, "scope": scope},
    )
    if scope == ApiTokenScope.ORIENTATION:
        notify_coordinators(
            territory=_territory(organisation),
            subject="Jeton d'API avec la portée « orientation »",
            template="emails/accounts_orientation_token.txt",
            context={"token": token, "organisation": organisation, "by": getattr(by, "user", None)},
        )
    return token, raw_key


@transaction.atomic
def revoke_api_token(*, token, by):
    if token.revoked_at is not None:
        raise DomainError("Ce jeton est déjà révoqué.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    record_event(
        action="accounts.api_token.revoked",
        target=token,
        by=by,
        territory=_territory(token.organisation),
    )
    return token
