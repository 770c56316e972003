"""Who may do what with the territory's offer. One predicate per rule, the rule in French."""

from spie.accounts.enums import Role
from spie.people.perms import team_seat


def _in_territory(membership):
    return membership is not None and membership.organisation.territory_id is not None


def can_search_offers(membership):
    """Consulter l'annuaire de l'offre : tout professionnel connecté (l'offre est publique)."""
    return membership is not None


def can_manage_offers(membership):
    """Créer et mettre à jour les services de sa structure : le ou la gestionnaire de la structure."""
    return _in_territory(membership) and membership.role == Role.GESTIONNAIRE


def can_edit_offer(membership, offer):
    """Modifier un service : le ou la gestionnaire de la structure qui le porte, et elle seule."""
    return (
        can_manage_offers(membership)
        and offer.structure.organisation_id is not None
        and offer.structure.organisation_id == membership.organisation_id
    )


def can_import_offers(membership):
    """Importer un fichier data·inclusion : le ou la coordinateur·rice SPIE d'un territoire, ou
    l'administration nationale."""
    return membership is not None and (
        membership.role == Role.ADMIN_NATIONAL or (_in_territory(membership) and membership.role == Role.COORDINATEUR)
    )


def can_review_duplicates(membership):
    """Examiner les doublons probables : le ou la coordinateur·rice du territoire, ou
    l'administration nationale."""
    return can_import_offers(membership)


def can_export_directory(membership):
    """Exporter l'annuaire du territoire (JSON data·inclusion, CSV) : tout professionnel d'un
    territoire."""
    return _in_territory(membership)


def can_refer_person(membership, person):
    """Orienter une personne vers un service : un membre actif de son équipe de suivi (la
    personne doit en outre avoir consenti au partage)."""
    return team_seat(membership, person) is not None


def can_answer_referral(membership, referral):
    """Accepter ou refuser une orientation : un professionnel de la structure destinataire."""
    return (
        membership is not None
        and membership.role != Role.ADMIN_NATIONAL
        and referral.receiving_organisation_id is not None
        and membership.organisation_id == referral.receiving_organisation_id
    )


def can_follow_referral(membership, referral):
    """Indiquer le démarrage, la fin ou l'abandon : la structure destinataire, ou l'équipe de suivi
    de la personne (quand le service n'est pas sur la plateforme)."""
    if can_answer_referral(membership, referral):
        return True
    return team_seat(membership, referral.person) is not None


def can_link_referral_action(membership, referral):
    """Rattacher une orientation démarrée à une action du contrat : l'équipe de suivi."""
    return team_seat(membership, referral.person) is not None


def can_propose_offer(membership):
    """Proposer une nouvelle offre pour le territoire : tout professionnel d'un territoire."""
    return _in_territory(membership) and membership.role != Role.ADMIN_NATIONAL


def can_steer_proposal(membership, proposal):
    """Faire avancer une proposition (à l'étude, retenue, publiée, non retenue) : le ou la
    coordinateur·rice SPIE du territoire."""
    return (
        membership is not None
        and membership.role == Role.COORDINATEUR
        and membership.organisation.territory_id == proposal.territory_id
    )


def can_comment_proposal(membership, proposal, partner_ids=None):
    """Commenter une proposition : la structure qui l'a proposée, les structures partenaires et
    le ou la coordinateur·rice du territoire."""
    if membership is None or membership.organisation.territory_id != proposal.territory_id:
        return False
    if partner_ids is None:
        partner_ids = {organisation.pk for organisation in proposal.partners.all()}
    return (
        can_steer_proposal(membership, proposal)
        or membership.organisation_id == proposal.proposer.organisation_id
        or membership.organisation_id in partner_ids
    )
