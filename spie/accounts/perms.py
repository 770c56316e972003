"""Who may do what with structures and accounts. Each rule is stated in its docstring."""

from .enums import STRUCTURE_ROLES, TERRITORIAL_ROLES, ApiTokenScope, Role


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


def _coordinates(membership, territory_id):
    return (
        membership is not None
        and territory_id is not None
        and membership.role == Role.COORDINATEUR
        and membership.organisation.territory_id == territory_id
    )


def may_hold_territorial_role(organisation):
    """Une structure peut porter un rôle territorial (chargé·e d'orientation, coordinateur·rice)
    si elle appartient à un territoire et que son type est « Département », « France Travail »,
    ou un type que ce territoire a désigné dans ses réglages. Une entreprise, une association…
    n'en portent pas, sauf désignation par le territoire."""
    if organisation is None or organisation.territory_id is None:
        return False
    from spie.territories.policies import territorial_role_types

    return organisation.type in territorial_role_types(organisation.territory_id)


def can_grant_role(membership, role, organisation):
    """Donner un rôle à un membre de `organisation` (changement de rôle, invitation, import) :
    - conseiller·ère ou gestionnaire : le ou la gestionnaire de cette structure, le ou la
      coordinateur·rice SPIE de son territoire (qui met en service les structures, par import), ou
      un administrateur national ;
    - chargé·e d'orientation : le ou la coordinateur·rice SPIE du territoire de la structure, ou un
      administrateur national, et seulement dans une structure qui peut porter un rôle territorial
      (Département, France Travail, types désignés par le territoire) ;
    - coordinateur·rice : un administrateur national uniquement, dans ces mêmes structures ;
    - administrateur national : un administrateur national uniquement.
    Un ou une gestionnaire de structure ne donne donc jamais un rôle qui ouvre tout le territoire."""
    if membership is None or role not in Role.values:
        return False
    if role == Role.ADMIN_NATIONAL:
        return is_national_admin(membership)
    if role in STRUCTURE_ROLES:
        return can_manage_members(membership, organisation) or _coordinates(membership, organisation.territory_id)
    if not may_hold_territorial_role(organisation):
        return False
    if role == Role.COORDINATEUR:
        return is_national_admin(membership)
    return is_national_admin(membership) or _coordinates(membership, organisation.territory_id)


def can_withdraw_role(membership, member):
    """Retirer à `member` son rôle actuel : un rôle de structure se retire par le ou la gestionnaire
    de la structure (ou un administrateur national) ; le rôle de chargé·e d'orientation par le ou la
    coordinateur·rice du territoire ou un administrateur national ; les rôles de coordinateur·rice
    et d'administrateur national par un administrateur national uniquement."""
    if membership is None:
        return False
    if member.role in STRUCTURE_ROLES:
        return can_manage_members(membership, member.organisation)
    if member.role == Role.CHARGE_ORIENTATION:
        return is_national_admin(membership) or _coordinates(membership, member.organisation.territory_id)
    return is_national_admin(membership)


def can_change_role(membership, member, role):
    """Changer le rôle d'un membre : il faut pouvoir donner le nouveau rôle dans sa structure, et,
    s'il détient un rôle territorial ou national, pouvoir le lui retirer."""
    if not can_grant_role(membership, role, member.organisation):
        return False
    return member.role in STRUCTURE_ROLES or can_withdraw_role(membership, member)


def can_view_territorial_roles(membership, territory):
    """Liste des rôles territoriaux d'un territoire (qui, depuis quand, donné par qui, pourquoi) et
    réglage des types de structures qui peuvent les porter : le ou la coordinateur·rice SPIE du
    territoire, ou un administrateur national."""
    return is_national_admin(membership) or (territory is not None and _coordinates(membership, territory.pk))


def needs_grant_reason(role):
    """Un rôle territorial se donne toujours avec un motif écrit."""
    return role in TERRITORIAL_ROLES


def can_manage_api_tokens(membership, organisation):
    """Créer ou révoquer les jetons d'API d'une structure : son gestionnaire uniquement, car le
    jeton donne accès aux données de la structure."""
    return (
        membership is not None
        and membership.role == Role.GESTIONNAIRE
        and membership.organisation_id == organisation.pk
    )


def can_grant_token_scope(membership, organisation, scope):
    """Donner une portée à un jeton d'API : « personnes suivies par la structure » est celle que
    crée le ou la gestionnaire de la structure. La portée « orientation : tout le territoire » ne se
    donne que par le ou la coordinateur·rice SPIE du territoire de la structure, avec un motif, et
    seulement à une structure qui peut porter un rôle territorial."""
    if scope == ApiTokenScope.STRUCTURE:
        return can_manage_api_tokens(membership, organisation)
    if scope != ApiTokenScope.ORIENTATION or membership is None or not may_hold_territorial_role(organisation):
        return False
    return _coordinates(membership, organisation.territory_id)


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
