"""Who may see what of the questionnaires and the groupe miroir."""

from spie.accounts.enums import Role
from spie.people.perms import is_referent, team_seat


def _coordinator(membership):
    return (
        membership is not None
        and membership.role == Role.COORDINATEUR
        and membership.organisation.territory_id is not None
    )


def can_see_person_questionnaires(membership, person):
    """Questionnaires d'une personne : les membres actifs de l'équipe de suivi voient à quelles
    étapes un questionnaire a été envoyé, relancé et rempli — jamais les réponses."""
    return team_seat(membership, person) is not None


def can_propose_mirror_member(membership, person):
    """Inscrire une personne au groupe miroir (avec son accord) : son ou sa référent·e."""
    return is_referent(membership, person)


def can_see_results(membership):
    """Résultats des questionnaires (agrégés, sans aucune ligne par personne) : le ou la
    coordinateur·rice SPIE pour son territoire, un administrateur national pour tous."""
    return _coordinator(membership) or (membership is not None and membership.role == Role.ADMIN_NATIONAL)


def results_territory_id(membership):
    """The territory a coordinator's results are limited to (None: every territory, national)."""
    return membership.organisation.territory_id if _coordinator(membership) else None


def can_moderate_comments(membership):
    """Relire les commentaires libres avant publication (publier, retirer un détail qui
    identifierait quelqu'un, écarter) : le ou la coordinateur·rice SPIE du territoire."""
    return _coordinator(membership)


def can_manage_mirror_group(membership):
    """Groupe miroir du territoire (membres, séances, présences, synthèses) : le ou la
    coordinateur·rice SPIE du territoire, qui l'anime."""
    return _coordinator(membership)
