"""Who may read the indicators (aggregated figures, never a person's name)."""

from spie.accounts.enums import Role


def indicators_scope(membership):
    """Indicateurs : « national » pour un·e administrateur·rice national·e (tous les territoires et
    l'ensemble national), « territoire » pour un·e coordinateur·rice SPIE (son territoire),
    « structure » pour un·e gestionnaire (les parcours et actions de sa structure). Aucun pour les
    autres rôles ni pour une structure sans territoire."""
    if membership is None:
        return None
    if membership.role == Role.ADMIN_NATIONAL:
        return "national"
    if membership.organisation.territory_id is None:
        return None
    if membership.role == Role.COORDINATEUR:
        return "territoire"
    if membership.role == Role.GESTIONNAIRE:
        return "structure"
    return None


def can_view_indicators(membership):
    """Lire et exporter les indicateurs : coordinateur·rice, gestionnaire ou administrateur·rice
    national·e, chacun·e dans son périmètre."""
    return indicators_scope(membership) is not None


def can_compare_territories(membership):
    """Comparer les territoires et les cohortes (page nationale) : administrateur·rice national·e."""
    return indicators_scope(membership) == "national"


def can_read_definitions(membership):
    """Lire la définition des indicateurs (ce qui est compté, à partir de quelles dates) : tout
    professionnel ayant un rattachement actif."""
    return membership is not None
