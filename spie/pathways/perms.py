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


def api_can_read_queue(organisation):
    """API — file d'attente d'orientation : un jeton d'une structure du territoire où travaille au
    moins un·e chargé·e d'orientation actif·ve (la structure qui porte l'orientation, le plus
    souvent le Département), pour ce seul territoire. Les mêmes structures peuvent lire et
    créer les décisions d'orientation de toutes les personnes du territoire ; les autres
    structures lisent seulement les décisions des personnes qu'elles suivent."""
    from spie.accounts.models import Membership

    return (
        organisation.territory_id is not None
        and Membership.objects.active().filter(organisation=organisation, role=Role.CHARGE_ORIENTATION).exists()
    )
