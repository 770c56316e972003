"""Who may read and write participatory evaluations and run impact-study extracts."""

from spie.accounts.perms import is_national_admin, is_territory_coordinator


def can_view_territory_evaluations(membership, territory):
    """La liste des évaluations participatives d'un territoire : tout professionnel d'une structure
    du territoire (il n'y voit que les évaluations publiées), et les administrateurs nationaux."""
    return membership is not None and (
        is_national_admin(membership) or membership.organisation.territory_id == territory.pk
    )


def can_write_evaluation(membership, territory):
    """Rédiger, modifier, publier ou repasser en brouillon l'évaluation participative d'un
    territoire : son coordinateur·rice SPIE uniquement (c'est le territoire qui s'évalue)."""
    return is_territory_coordinator(membership, territory)


def can_read_evaluation(membership, evaluation):
    """Lire une évaluation participative : les professionnels du territoire une fois publiée ; le
    coordinateur·rice du territoire et les administrateurs nationaux, brouillon compris."""
    if membership is None:
        return False
    if is_national_admin(membership) or is_territory_coordinator(membership, evaluation.territory):
        return True
    return evaluation.is_published and membership.organisation.territory_id == evaluation.territory_id


def can_list_national_evaluations(membership):
    """La liste nationale des évaluations participatives par année : administrateurs nationaux."""
    return is_national_admin(membership)


def can_manage_studies(membership):
    """Créer une étude d'impact, lancer une extraction pseudonymisée et voir le journal des
    extractions : administrateurs nationaux uniquement (les données de toutes les personnes d'un
    territoire en sortent, même pseudonymisées)."""
    return is_national_admin(membership)
