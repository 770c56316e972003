"""Who may see and change companies, shortage lists, immersions, trainings and events."""

from spie.accounts.enums import Role
from spie.people.perms import is_orientation_officer, team_seat


def _in_territory(membership):
    return membership is not None and membership.organisation.territory_id is not None


def can_use_companies(membership):
    """Annuaire des entreprises, formations et événements : tout professionnel rattaché à une
    structure d'un territoire (les données restent dans le territoire)."""
    return _in_territory(membership) and membership.role != Role.ADMIN_NATIONAL


def can_edit_company(membership, company):
    """Modifier une entreprise, ses contacts, ses métiers et ses besoins : les professionnels de la
    structure qui l'a ajoutée, et le ou la coordinateur·rice du territoire."""
    return (
        can_use_companies(membership)
        and membership.organisation.territory_id == company.territory_id
        and (
            membership.role == Role.COORDINATEUR
            or (company.created_by_id is not None and company.created_by.organisation_id == membership.organisation_id)
        )
    )


def can_import_companies(membership):
    """Importer la liste des entreprises d'un territoire : gestionnaire de structure, chargé·e
    d'orientation ou coordinateur·rice (comme les autres imports)."""
    return _in_territory(membership) and membership.role in (
        Role.GESTIONNAIRE,
        Role.CHARGE_ORIENTATION,
        Role.COORDINATEUR,
    )


def can_manage_shortages(membership):
    """Tenir la liste des métiers en tension du territoire (saisie ou import) : le ou la
    coordinateur·rice SPIE du territoire."""
    return _in_territory(membership) and membership.role == Role.COORDINATEUR


def can_see_territory_figures(membership):
    """Tableau territorial (immersions et formations dans les métiers en tension) : tout
    professionnel du territoire ; les chiffres sont agrégés, sans nom de personne."""
    return can_use_companies(membership)


def can_work_with_person(membership, person):
    """Proposer une immersion, positionner sur une formation, inviter à un événement, voir les
    entreprises proches : un membre actif de l'équipe de suivi de la personne."""
    return team_seat(membership, person) is not None


def can_see_person_companies(membership, person):
    """Voir les immersions, formations et événements d'une personne : membre actif de l'équipe de
    suivi, ou chargé·e d'orientation du territoire."""
    return team_seat(membership, person) is not None or is_orientation_officer(membership, person)


def can_edit_immersion(membership, immersion):
    """Modifier, soumettre, relancer, démarrer, annuler ou faire le bilan d'une immersion : le
    professionnel prescripteur, ou un membre actif de l'équipe de suivi de la personne."""
    return membership is not None and (
        immersion.prescriber_id == membership.pk or team_seat(membership, immersion.person) is not None
    )


def can_validate_immersion(membership, immersion):
    """Valider la convention signée : la structure prescriptrice, c'est-à-dire le professionnel
    prescripteur ou un·e gestionnaire de cette structure."""
    return membership is not None and (
        immersion.prescriber_id == membership.pk
        or (membership.organisation_id == immersion.prescriber_organisation_id and membership.role == Role.GESTIONNAIRE)
    )


def can_edit_training(membership, training):
    """Modifier une session de formation : la structure qui l'a ajoutée, ou le ou la
    coordinateur·rice du territoire."""
    return (
        can_use_companies(membership)
        and membership.organisation.territory_id == training.territory_id
        and (
            membership.role == Role.COORDINATEUR
            or (
                training.created_by_id is not None and training.created_by.organisation_id == membership.organisation_id
            )
        )
    )


def can_move_positioning(membership, positioning):
    """Faire avancer un positionnement (inscription, entrée, fin, abandon) : un membre actif de
    l'équipe de suivi de la personne."""
    return team_seat(membership, positioning.person) is not None


def can_manage_event(membership, event):
    """Modifier un événement, noter les présences et le bilan : la structure organisatrice, ou le ou
    la coordinateur·rice du territoire."""
    return (
        can_use_companies(membership)
        and membership.organisation.territory_id == event.territory_id
        and (
            membership.role == Role.COORDINATEUR
            or (event.organiser_id is not None and event.organiser.organisation_id == membership.organisation_id)
        )
    )
