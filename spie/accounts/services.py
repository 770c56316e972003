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

from .actors import Actor
from .enums import Role
from .models import ApiToken, Invitation, Membership, User, hash_secret
from .perms import can_grant_role

INVITATION_VALIDITY = timedelta(days=7)


def _territory(organisation):
    return organisation.territory if organisation.territory_id else None


@transaction.atomic
def invite_professional(*, organisation, email, role, first_name="", last_name="", by):
    """Invite `email` to join `organisation` with `role`; returns the invitation and its raw token."""
    email = email.strip().lower()
    if not can_grant_role(by.membership, role):
        raise DomainError("Seul un administrateur national peut donner ce rôle.", field="role")
    if Membership.objects.filter(organisation=organisation, user__email=email, is_active=True).exists():
        raise DomainError("Cette personne est déjà membre active de la structure.", field="email")
    now = timezone.now()
    organisation.invitations.pending().filter(email=email).update(revoked_at=now)
    raw_token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        role=role,
        token_hash=hash_secret(raw_token),
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
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[raw_token])
    message = render_to_string("emails/invitation.txt", {"invitation": invitation, "link": link, "inviter": by.user})
    transaction.on_commit(
        lambda: send_mail(
            f"Invitation à rejoindre {organisation.name} sur la plateforme SPIE",
            message,
            None,
            [email],
        )
    )
    return invitation, raw_token


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
        user = User.objects.create_user(invitation.email, password, first_name=first_name, last_name=last_name)
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
