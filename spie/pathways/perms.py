"""Who may see and decide orientations. One predicate per rule, the rule in French."""

from spie.accounts.enums import Role
from spie.people.perms import is_orientation_officer, is_referent, team_seat


def can_view_orientation_queue(membership):
    """File d'attente d'orientation : les chargé·es d'orientation, pour leur territoire seulement."""
    return (
        membership is not None
        and membership.role == Role.CHARGE_ORIENTATION
        and membership.organisation.territory_id is not None
    )


def can_view_orientation(membership, person):
    """Voir l'orientation et les demandes de réorientation : membres actifs de l'équipe de suivi et
    chargé·es d'orientation du territoire."""
    return team_seat(membership, person) is not None or is_orientation_officer(membership, person)


def can_decide_orientation(membership, person):
    """Décider l'orientation (type de parcours, structure et professionnel référents), accepter ou
    refuser une demande de réorientation : le ou la chargé·e d'orientation du territoire."""
    return is_orientation_officer(membership, person)


def can_request_reorientation(membership, person):
    """Demander une réorientation : le ou la référent·e de la personne, avec un motif."""
    return is_referent(membership, person)


def can_cancel_reorientation(membership, reorientation_request):
    """Annuler une demande en attente : le professionnel qui l'a faite."""
    return membership is not None and reorientation_request.requested_by_id == membership.pk


def api_can_read_queue(token):
    """API — file d'attente d'orientation, décisions d'orientation et parcours de toutes les
    personnes du territoire : seulement un jeton créé avec la portée « orientation », donnée avec un
    motif par le ou la coordinateur·rice du territoire. Un autre jeton, même d'une structure où
    travaille un·e chargé·e d'orientation, lit seulement les personnes que sa structure suit
    (comme un·e conseiller·ère de la structure)."""
    from spie.accounts.api_auth import token_reaches_territory

    return token_reaches_territory(token)


# --- The shared pathway --------------------------------------------------------------------


def can_view_pathway(membership, person):
    """Voir le parcours, le contrat d'engagement et les rendez-vous : membres actifs de l'équipe de
    suivi, et chargé·es d'orientation du territoire."""
    return team_seat(membership, person) is not None or is_orientation_officer(membership, person)


def can_edit_contract(membership, person):
    """Construire le plan d'action, enregistrer une dérogation, faire signer le contrat et préparer
    une révision : le ou la référent·e, qui construit le contrat avec la personne."""
    return is_referent(membership, person)


def can_follow_plan(membership, person):
    """Faire avancer le statut des actions du contrat signé : tout membre actif de l'équipe de
    suivi (chaque structure suit les actions qu'elle porte)."""
    return team_seat(membership, person) is not None


def can_plan_appointment(membership, person):
    """Planifier un rendez-vous et en enregistrer le statut : tout membre actif de l'équipe de
    suivi."""
    return team_seat(membership, person) is not None


def can_record_review(membership, person):
    """Enregistrer un point de situation et clôturer le parcours : le ou la référent·e."""
    return is_referent(membership, person)


def can_close_pathway(membership, person):
    """Clôturer le parcours (avec son motif) : le ou la référent·e."""
    return is_referent(membership, person)


def can_record_employment(membership, person):
    """Enregistrer une reprise d'emploi et les points de suivi dans l'emploi : tout membre actif de
    l'équipe de suivi."""
    return team_seat(membership, person) is not None


def situation_scope(membership):
    """Point de situation : « caseload » pour un·e conseiller·ère (les personnes qu'il ou elle
    suit), « structure » pour un·e gestionnaire (les personnes suivies par sa structure),
    « territoire » pour un·e coordinateur·rice (tout le territoire). Aucun pour les autres rôles
    ou une structure sans territoire."""
    if membership is None or membership.organisation.territory_id is None:
        return None
    if membership.role == Role.COORDINATEUR:
        return "territoire"
    if membership.role == Role.GESTIONNAIRE:
        return "structure"
    if membership.role in (Role.CONSEILLER, Role.CHARGE_ORIENTATION):
        return "caseload"
    return None


def can_plan_from_situation(membership, person):
    """Planifier le prochain rendez-vous depuis le point de situation : un membre actif de l'équipe
    de suivi, ou le ou la gestionnaire d'une structure qui suit la personne (rendez-vous avec un
    membre de l'équipe). Le ou la coordinateur·rice pilote mais ne planifie pas."""
    if team_seat(membership, person) is not None:
        return True
    return (
        membership is not None
        and membership.role == Role.GESTIONNAIRE
        and any(seat.membership.organisation_id == membership.organisation_id for seat in person.active_team)
    )


def can_edit_territory_settings(membership):
    """Régler les délais et périodes du territoire : le ou la coordinateur·rice SPIE du territoire."""
    return (
        membership is not None
        and membership.role == Role.COORDINATEUR
        and membership.organisation.territory_id is not None
    )


def api_can_read_territory_alerts(token):
    """API — alertes de tout le territoire : un jeton créé avec la portée « orientation » ; les autres
    jetons lisent les alertes des personnes que leur structure suit."""
    from spie.accounts.api_auth import token_reaches_territory

    return token_reaches_territory(token)
