"""Who may see and change a person's file. The rules of DESIGN §5, one predicate each."""

from spie.accounts.enums import Role

FOUND_PEOPLE_SESSION_KEY = "found_people"


def team_seat(membership, person):
    """The active seat of this membership in the person's team, or None."""
    if membership is None:
        return None
    return next(
        (seat for seat in person.active_team if seat.membership_id == membership.pk),
        None,
    )


def is_referent(membership, person):
    """Référent·e : le membre actif de l'équipe de suivi qui porte le parcours."""
    seat = team_seat(membership, person)
    return seat is not None and seat.is_referent


def is_orientation_officer(membership, person):
    """Chargé·e d'orientation du territoire de la personne."""
    return (
        membership is not None
        and membership.role == Role.CHARGE_ORIENTATION
        and membership.organisation.territory_id == person.territory_id
    )


def can_edit_person(membership, person):
    """Modifier l'identité, les coordonnées, les droits ou le consentement : tout membre actif de
    l'équipe de suivi."""
    return team_seat(membership, person) is not None


def can_see_sensitive(membership, person):
    """Informations sensibles (RQTH, santé) : membre actif de l'équipe avec l'habilitation
    « informations sensibles », et seulement si la personne a consenti au partage."""
    seat = team_seat(membership, person)
    return seat is not None and seat.can_see_sensitive and person.consent_given


def can_manage_team(membership, person):
    """Accepter ou refuser une demande, habiliter aux informations sensibles : le ou la référent·e,
    ou le ou la chargé·e d'orientation du territoire."""
    return is_referent(membership, person) or is_orientation_officer(membership, person)


def can_hand_over_referent(membership, person):
    """Transmettre le rôle de référent : le ou la référent·e actuel·le, ou le ou la chargé·e
    d'orientation du territoire (qui désigne les référents)."""
    return can_manage_team(membership, person)


def can_view_access_log(membership, person):
    """Qui a consulté le dossier : visible du ou de la référent·e (et de la personne elle-même)."""
    return is_referent(membership, person)


def can_export_person_data(membership, person):
    """Export RGPD (droit d'accès) : le ou la référent·e, à la demande de la personne."""
    return is_referent(membership, person)


def can_ask_to_join(membership, person):
    """Demander à rejoindre l'équipe : un professionnel du même territoire qui n'en fait pas
    déjà partie. Jamais d'ajout par soi-même : la demande est décidée par le référent."""
    return (
        membership is not None
        and membership.role != Role.ADMIN_NATIONAL
        and membership.organisation.territory_id == person.territory_id
        and team_seat(membership, person) is None
    )


def can_see_limited_view(request, person):
    """Vue restreinte (identité et équipe) : un professionnel du territoire qui vient de trouver
    la personne par une recherche exacte d'identité ou d'identifiant."""
    found = request.session.get(FOUND_PEOPLE_SESSION_KEY, [])
    membership = request.membership
    return (
        membership is not None
        and membership.organisation.territory_id == person.territory_id
        and str(person.public_id) in found
    )


def can_import_people(membership):
    """Importer un fichier de personnes : gestionnaire de structure, chargé·e d'orientation ou
    coordinateur·rice d'un territoire (rôles qui organisent le suivi de nombreuses personnes)."""
    return (
        membership is not None
        and membership.organisation.territory_id is not None
        and membership.role in (Role.GESTIONNAIRE, Role.CHARGE_ORIENTATION, Role.COORDINATEUR)
    )


def structure_follows(membership, person):
    """La structure de ce membre suit la personne : un de ses membres est dans l'équipe de suivi
    active."""
    return membership is not None and any(
        seat.membership.organisation_id == membership.organisation_id for seat in person.active_team
    )


def can_update_by_import(membership, person):
    """Mettre à jour un dossier existant par un import : seulement si la structure de
    l'importateur suit déjà la personne. Sinon la ligne devient une demande pour rejoindre
    l'équipe de suivi (décidée par le ou la référent·e), jamais une écriture."""
    return structure_follows(membership, person)


def can_seat_referent_by_import(membership, person):
    """Désigner un·e référent·e par un import dans un dossier existant : seulement dans un dossier
    que la structure de l'importateur suit et dont l'importateur peut gérer l'équipe (le ou la
    référent·e, ou le ou la chargé·e d'orientation du territoire). Les dossiers créés par l'import
    reçoivent le référent du fichier."""
    return can_update_by_import(membership, person) and can_manage_team(membership, person)
