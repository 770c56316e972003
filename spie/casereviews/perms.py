"""Who may see and do what in the case reviews. One predicate per rule, the rule in French."""

from django.utils import timezone

from spie.accounts.enums import Role
from spie.people.perms import is_referent, team_seat

from .enums import Form


def is_coordinator(membership, territory_id=None):
    """Coordinateur·rice SPIE d'un territoire (du territoire donné, s'il est précisé)."""
    return (
        membership is not None
        and membership.role == Role.COORDINATEUR
        and membership.organisation.territory_id is not None
        and (territory_id is None or membership.organisation.territory_id == territory_id)
    )


def can_manage_bodies(membership):
    """Créer les instances, en désigner les membres, planifier les séances, inscrire les situations,
    publier l'ordre du jour, tenir la séance, saisir avis, décisions et actions, signer le compte
    rendu, voir les situations repérées par la plateforme : le ou la coordinateur·rice SPIE du
    territoire."""
    return is_coordinator(membership)


def can_use_casereviews(membership):
    """Menu « Instances » : le ou la coordinateur·rice du territoire et les membres d'au moins une
    instance."""
    if membership is None or membership.organisation.territory_id is None:
        return False
    return is_coordinator(membership) or membership.review_seats.filter(left_on__isnull=True).exists()


def body_seat(membership, body):
    """The active seat of this membership in the body, or None."""
    if membership is None:
        return None
    return body.members.filter(membership=membership, left_on__isnull=True).first()


def can_view_body(membership, body):
    """Voir une instance, ses membres et ses séances : le ou la coordinateur·rice du territoire et
    les membres actifs de l'instance."""
    return is_coordinator(membership, body.territory_id) or body_seat(membership, body) is not None


def session_seat(membership, session):
    """The invitation of this membership to the session (an attendance row), or None."""
    if membership is None:
        return None
    return next(
        (row for row in session.attendances.all() if row.member.membership_id == membership.pk),
        None,
    )


def can_view_session(membership, session):
    """Voir une séance (date, lieu, présences) : le ou la coordinateur·rice du territoire et les
    membres invités à cette séance. L'ordre du jour (les situations) n'est visible des membres
    qu'une fois publié."""
    return is_coordinator(membership, session.territory_id) or session_seat(membership, session) is not None


def case_form(membership, case, today=None):
    """Forme sous laquelle une situation est montrée, ou None si elle ne l'est pas :
    - nominative pour l'équipe de suivi de la personne (dont le ou la référent·e) et pour le ou la
      coordinateur·rice du territoire, qui voit déjà les noms au point de situation ;
    - pour les membres invités à la séance, une fois l'ordre du jour publié : nominative si leur
      droit le permet (professionnel·le habilité·e, jamais un membre extérieur) et jusqu'à la fin
      de la durée d'accès qui suit le compte rendu (réglage du territoire), pseudonymisée sinon ;
    - rien pour les autres, ni hors du territoire."""
    if membership is None or membership.organisation.territory_id != case.territory_id:
        return None
    if team_seat(membership, case.person) is not None or is_coordinator(membership, case.territory_id):
        return Form.NAMED
    session = case.session
    if session is None or not session.is_published:
        return None
    seat = session_seat(membership, session)
    if seat is None:
        return None
    today = today or timezone.localdate()
    member = seat.member
    within_window = session.named_access_until is None or today <= session.named_access_until
    if member.sees_names and not member.is_external and within_window:
        return Form.NAMED
    return Form.PSEUDONYMISED


def can_refer_case(membership, person):
    """Présenter la situation d'une personne en instance (avec la question posée et son accord) et
    relire sa présentation pseudonymisée : le ou la référent·e de la personne."""
    return is_referent(membership, person)


def can_edit_presentation(membership, case):
    """Relire et valider la présentation pseudonymisée : le ou la référent·e de la personne, tant
    que la situation n'a pas été examinée."""
    return is_referent(membership, case.person)


def can_record_outcome(membership, case):
    """Saisir notes, avis, décisions et actions d'une situation : le ou la coordinateur·rice du
    territoire, qui anime la séance."""
    return is_coordinator(membership, case.territory_id)


def can_follow_action(membership, action):
    """Marquer une action réalisée ou annulée : le ou la professionnel·le qui en est chargé·e, le ou
    la référent·e de la personne et le ou la coordinateur·rice du territoire."""
    if membership is None:
        return False
    return (
        action.owner_membership_id == membership.pk
        or is_referent(membership, action.case.person)
        or is_coordinator(membership, action.territory_id)
    )


def can_view_person_cases(membership, person):
    """Onglet « Instances » du dossier : les membres actifs de l'équipe de suivi."""
    return team_seat(membership, person) is not None


def api_can_manage(token):
    """API — instances, séances et situations de tout le territoire : un jeton créé avec la portée
    « orientation » (donnée par le ou la coordinateur·rice du territoire) d'une structure où
    travaille un·e coordinateur·rice actif·ve. Les autres jetons lisent les instances dont un des
    professionnels de leur structure est membre, et les situations des personnes qu'elle suit."""
    from spie.accounts.api_auth import token_reaches_territory
    from spie.accounts.models import Membership

    return (
        token_reaches_territory(token)
        and Membership.objects.active().filter(organisation=token.organisation, role=Role.COORDINATEUR).exists()
    )
