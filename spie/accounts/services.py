"""Every write on accounts, structures and memberships: atomic and audited."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.core.models import AuditEvent

from . import mailing
from .actors import Actor
from .deactivation import pending_hand_overs
from .enums import EmailStatus, Role
from .models import ApiToken, Invitation, Membership, User, hash_secret
from .perms import can_grant_role

INVITATION_VALIDITY = timedelta(days=mailing.INVITATION_VALIDITY_DAYS)


def _territory(organisation):
    return organisation.territory if organisation.territory_id else None


@transaction.atomic
def invite_professional(*, organisation, email, role, first_name="", last_name="", phone="", by):
    """Invite `email` to join `organisation` with `role`. The e-mail is queued and sent right after
    the transaction commits (the link is made at sending time); returns the invitation."""
    email = email.strip().lower()
    if not can_grant_role(by.membership, role):
        raise DomainError("Seul un administrateur national peut donner ce rôle.", field="role")
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
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
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
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise DomainError("Cette invitation a expiré ou a déjà été utilisée.")
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        if not password:
            raise DomainError("Choisissez un mot de passe.", field="password1")
        user = User.objects.create_user(
            invitation.email, password, first_name=first_name, last_name=last_name, phone=invitation.phone
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created:
        membership.role = invitation.role
        membership.is_active = True
        membership.deactivated_at = None
        membership.save(update_fields=["role", "is_active", "deactivated_at", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    record_event(
        action="accounts.invitation.accepted",
        target=invitation,
        by=Actor(user=user, membership=membership),
        territory=_territory(invitation.organisation),
        data={"membership": str(membership.public_id), "role": membership.role},
    )
    return user, membership


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


@transaction.atomic
def change_member_role(*, membership, role, by):
    if role not in Role.values:
        raise DomainError("Ce rôle n'existe pas.", field="role")
    if not can_grant_role(by.membership, role):
        raise DomainError("Seul un administrateur national peut donner ce rôle.", field="role")
    if role == membership.role:
        return membership
    if role != Role.GESTIONNAIRE:
        _ensure_a_manager_remains(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    record_event(
        action="accounts.membership.role_changed",
        target=membership,
        by=by,
        territory=_territory(membership.organisation),
        data={"from": previous, "to": role},
    )
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
def create_api_token(*, organisation, name, by):
    """Create a token for `organisation`; the raw key is returned once and never stored."""
    raw_key = ApiToken.new_key()
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=raw_key[5:13],
        key_hash=hash_secret(raw_key),
        created_by=getattr(by, "user", None),
    )
    record_event(
        action="accounts.api_token.created",
        target=token,
        by=by,
        territory=_territory(organisation),
        data={"name": name},
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
