"""Who may see and change territories, cohorts and budgets. Each rule is stated in its docstring."""

from spie.accounts.perms import can_view_territorial_roles, is_national_admin


def can_list_territories(membership):
    """La liste de tous les territoires et le budget national : administrateurs nationaux
    uniquement. Les autres professionnels voient la fiche de leur propre territoire."""
    return is_national_admin(membership)


def can_manage_territories(membership):
    """Créer ou modifier un territoire ou une cohorte : administrateurs nationaux uniquement,
    car le périmètre d'un territoire décide de qui voit quelles données."""
    return is_national_admin(membership)


def can_manage_budget(membership):
    """Ajouter, modifier ou supprimer une ligne budgétaire : administrateurs nationaux
    uniquement (le budget est national et réparti par l'administration centrale)."""
    return is_national_admin(membership)


def can_designate_role_types(membership, territory):
    """Désigner les types de structures qui, en plus du Département et de France Travail, peuvent
    porter un rôle territorial (chargé·e d'orientation, coordinateur·rice) : le ou la
    coordinateur·rice SPIE du territoire, ou un administrateur national."""
    return can_view_territorial_roles(membership, territory)
