"""Who may see, publish, manage, join and rate the joint training and exchange times."""

from spie.accounts.enums import Role

from .enums import EventStatus


def _in_territory(membership):
    return (
        membership is not None
        and membership.organisation.territory_id is not None
        and membership.role != Role.ADMIN_NATIONAL
    )


def is_national_admin(membership):
    return membership is not None and membership.role == Role.ADMIN_NATIONAL


def can_see_events(membership):
    """Calendrier des temps communs : tout professionnel rattaché à une structure d'un territoire
    (il ne voit que son territoire) ; les administrateur·rices nationaux·ales lisent tous les
    territoires."""
    return _in_territory(membership) or is_national_admin(membership)


def can_publish_event(membership):
    """Publier un temps commun pour les professionnels du territoire : le ou la coordinateur·rice
    SPIE du territoire, ou un·e gestionnaire de structure du territoire (au nom de sa structure)."""
    return _in_territory(membership) and membership.role in (Role.COORDINATEUR, Role.GESTIONNAIRE)


def can_manage_event(membership, event):
    """Modifier ou annuler un temps commun, noter les présences, exporter la liste : la personne qui
    l'a publié, les gestionnaires de la structure organisatrice, et le ou la coordinateur·rice du
    territoire."""
    if not _in_territory(membership) or membership.organisation.territory_id != event.territory_id:
        return False
    return (
        membership.role == Role.COORDINATEUR
        or event.created_by_id == membership.pk
        or (membership.role == Role.GESTIONNAIRE and membership.organisation_id == event.organiser_id)
    )


def can_see_participants(membership, event):
    """Liste des participant·es (noms et structures des professionnels) : qui gère le temps commun ;
    les administrateur·rices nationaux·ales en lecture."""
    return can_manage_event(membership, event) or is_national_admin(membership)


def can_register(membership, event):
    """S'inscrire à un temps commun : tout professionnel d'une structure du territoire de
    l'événement (les administrateur·rices nationaux·ales ne s'inscrivent pas)."""
    return _in_territory(membership) and membership.organisation.territory_id == event.territory_id


def can_rate_event(membership, registration):
    """Évaluer un temps commun : le professionnel inscrit lui-même, noté présent, une fois le temps
    commun réalisé et terminé, et une seule fois."""
    event = registration.event
    return (
        membership is not None
        and registration.membership_id == membership.pk
        and registration.attended is True
        and registration.rated_at is None
        and event.status == EventStatus.HELD
        and event.has_ended
    )
