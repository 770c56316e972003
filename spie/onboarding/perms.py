"""Who may follow and configure a territory's onboarding. Each rule is stated in its docstring."""

from spie.accounts.enums import Role
from spie.accounts.perms import is_national_admin, is_territory_coordinator


def can_view_national_progress(membership):
    """L'avancement de la mise en service de tous les territoires : administrateurs nationaux."""
    return is_national_admin(membership)


def can_view_territory_checklist(membership, territory):
    """La liste de mise en service d'un territoire : son coordinateur·rice, ses chargé·es
    d'orientation et les gestionnaires de ses structures (qui y contribuent), ou un
    administrateur national."""
    if is_national_admin(membership):
        return True
    return (
        membership is not None
        and membership.organisation.territory_id == territory.pk
        and membership.role in (Role.COORDINATEUR, Role.CHARGE_ORIENTATION, Role.GESTIONNAIRE)
    )


def can_edit_territory_settings(membership, territory):
    """Régler les délais et périodes d'un territoire : son coordinateur·rice, ou un administrateur
    national."""
    return is_national_admin(membership) or is_territory_coordinator(membership, territory)
