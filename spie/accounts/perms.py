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


def is_territory_coordinator(membership, territory):
    """Coordinateur·rice SPIE du territoire : rôle « coordinateur » dans une structure de ce territoire."""
    return (
        membership is not None
        and territory is not None
        and membership.role == Role.COORDINATEUR
        and membership.organisation.territory_id == territory.pk
    )


def can_import_accounts(membership, territory):
    """Importer les structures et les professionnels d'un territoire : son coordinateur·rice SPIE,
    ou un administrateur national (qui met en service un nouveau territoire)."""
    return is_national_admin(membership) or is_territory_coordinator(membership, territory)


def can_follow_invitations(membership, territory):
    """Suivre les invitations de tout un territoire (envois, échecs, acceptations) : son
    coordinateur·rice, ou un administrateur national."""
    return can_import_accounts(membership, territory)


def can_resend_invitation(membership, invitation):
    """Renvoyer une invitation : le gestionnaire de la structure, le coordinateur·rice du
    territoire de la structure, ou un administrateur national."""
    organisation = invitation.organisation
    return can_manage_members(membership, organisation) or is_territory_coordinator(
        membership, organisation.territory if organisation.territory_id else None
    )
