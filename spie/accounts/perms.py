"""Who may do what with structures and accounts. Each rule is stated in its docstring."""

from .enums import Role


def is_national_admin(membership):
    """Administrateur national : rattachement actif avec le rôle « admin_national »."""
    return membership is not None and membership.role == Role.ADMIN_NATIONAL


def can_manage_members(membership, organisation):
    """Inviter, changer le rôle ou désactiver un membre : le gestionnaire de cette structure,
    ou un administrateur national."""
    if membership is None:
        return False
    if is_national_admin(membership):
        return True
    return membership.role == Role.GESTIONNAIRE and membership.organisation_id == organisation.pk


def can_grant_role(membership, role):
    """Seul un administrateur national peut donner le rôle d'administrateur national."""
    return role != Role.ADMIN_NATIONAL or is_national_admin(membership)


def can_manage_api_tokens(membership, organisation):
    """Créer ou révoquer les jetons d'API d'une structure : son gestionnaire uniquement, car le
    jeton donne accès aux données de la structure."""
    return (
        membership is not None
        and membership.role == Role.GESTIONNAIRE
        and membership.organisation_id == organisation.pk
    )


def can_view_audit_log(membership):
    """Le journal d'audit complet est réservé aux administrateurs nationaux."""
    return is_national_admin(membership)
