"""Who may see and do what around the person's space. The space itself is the person's alone
(`auth.person_login_required`): no professional right ever opens it."""

from spie.people.perms import is_referent, team_seat


def can_see_space_activity(membership, person):
    """Voir ce que la personne a fait dans son espace (confirmations, demandes de report,
    approbation du contrat, dernière connexion) : tout membre actif de l'équipe de suivi."""
    return team_seat(membership, person) is not None


def can_invite_person(membership, person):
    """Inviter la personne dans son espace personnel : tout membre actif de l'équipe de suivi
    (le lien n'est envoyé qu'à l'adresse ou au numéro inscrits dans le dossier)."""
    return team_seat(membership, person) is not None


def can_confirm_contact_change(membership, person):
    """Confirmer un changement d'adresse e-mail ou de numéro de mobile (qui ouvrira l'espace
    personnel à ce contact) : le ou la référent·e seulement, après l'avoir vérifié avec la personne.
    Le professionnel qui a fait le changement ne suffit pas à le confirmer."""
    return is_referent(membership, person)
