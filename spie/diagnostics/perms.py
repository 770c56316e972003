"""Who may read and write a person's diagnostic. Rules of DESIGN §5, one predicate each."""

from spie.people.perms import can_see_sensitive, is_orientation_officer, team_seat


def can_view_diagnostics(membership, person):
    """Lire les diagnostics : tout membre actif de l'équipe de suivi, et le ou la chargé·e
    d'orientation du territoire (pour décider l'orientation)."""
    return team_seat(membership, person) is not None or is_orientation_officer(membership, person)


def can_start_diagnostic(membership, person):
    """Commencer un diagnostic : un membre actif de l'équipe de suivi (l'auteur doit en faire
    partie). Le ou la chargé·e d'orientation rejoint d'abord l'équipe pour en rédiger un."""
    return team_seat(membership, person) is not None


def is_author(membership, diagnostic):
    return membership is not None and any(author.membership_id == membership.pk for author in diagnostic.authors.all())


def can_edit_diagnostic(membership, diagnostic):
    """Modifier un brouillon, y ajouter un co-auteur, le valider ou l'abandonner : ses auteurs
    seulement, tant qu'ils sont membres de l'équipe de suivi (ou chargé·e d'orientation du
    territoire). Un diagnostic validé n'est plus modifiable par personne."""
    person = diagnostic.person
    in_scope = team_seat(membership, person) is not None or is_orientation_officer(membership, person)
    return diagnostic.is_draft and in_scope and is_author(membership, diagnostic)


def can_join_as_author(membership, diagnostic):
    """Devenir co-auteur d'un brouillon : un membre actif de l'équipe de suivi qui n'en est pas
    encore auteur (le binôme social et professionnel se constitue ainsi)."""
    return (
        diagnostic.is_draft
        and team_seat(membership, diagnostic.person) is not None
        and not is_author(membership, diagnostic)
    )


def can_cosign_diagnostic(membership, diagnostic):
    """Co-signer un diagnostic validé : chaque co-auteur·e signe pour lui-même ou elle-même, jamais
    pour un autre, tant qu'il ou elle est membre de l'équipe de suivi (ou chargé·e d'orientation
    du territoire) et n'a pas encore signé. L'auteur qui valide signe en validant."""
    if membership is None or not diagnostic.is_validated:
        return False
    person = diagnostic.person
    if team_seat(membership, person) is None and not is_orientation_officer(membership, person):
        return False
    return any(
        author.membership_id == membership.pk and author.signed_at is None for author in diagnostic.authors.all()
    )


def can_see_sensitive_answers(membership, person):
    """Thèmes sensibles (santé, handicap) : membre de l'équipe habilité·e aux informations
    sensibles, si la personne a consenti au partage. Les autres voient qu'un thème sensible est
    renseigné, pas son contenu. Par l'API, ils sont toujours masqués (l'habilitation est
    individuelle ; un jeton de structure ne la porte pas)."""
    return can_see_sensitive(membership, person)
