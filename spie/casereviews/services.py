"""Case reviews: bodies and members, sessions (one service per transition), cases put on the
agenda (one service per transition), decisions and follow-up actions. Every write is atomic and
audited; a write about a person goes into their file's timeline."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.accounts.models import Membership, Organisation
from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.pathways import services as pathway_services
from spie.pathways import services_contracts, services_orientation
from spie.pathways.enums import ACCOMPANIED_STAGES, PathwayType
from spie.pathways.models import PlanObjective
from spie.people.services import record_file_write
from spie.territories.policies import policy_for

from .enums import (
    ACTION_TRANSITIONS,
    CASE_TRANSITIONS,
    DECISION_KINDS,
    LEGAL_OPINIONS,
    SESSION_TRANSITIONS,
    ActionStatus,
    AttendanceStatus,
    BodyKind,
    CaseSource,
    CaseStatus,
    DecisionKind,
    Opinion,
    SessionStatus,
)
from .models import (
    Attendance,
    BodyMember,
    CandidateInvitation,
    CaseAction,
    CaseDecision,
    ReviewBody,
    ReviewCase,
    ReviewSession,
)
from .pseudonym import check_free_of_identity

MAX_CASES_PER_SESSION = 20


def _today():
    return timezone.localdate()


def _notify(subject, template, context, recipients):
    recipients = sorted({email for email in recipients if email})
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def _event(action, target, by, territory_id, data=None):
    from spie.territories.models import Territory

    record_event(action=action, target=target, by=by, territory=Territory(pk=territory_id), data=data or {})


def _text(value):
    return (value or "").strip()


# --- Bodies and members --------------------------------------------------------------------


@transaction.atomic
def create_body(*, territory, kind, name, by, description="", quorum=None):
    """A review body of the territory: a support group or the RSA équipe pluridisciplinaire."""
    if kind not in BodyKind.values:
        raise DomainError("Type d'instance : choisissez un type dans la liste.", field="kind")
    if not _text(name):
        raise DomainError("Nom : indiquez le nom de l'instance.", field="name")
    if kind == BodyKind.RSA_TEAM and not quorum:
        raise DomainError(
            "Quorum : indiquez le nombre de membres présents requis pour que l'équipe pluridisciplinaire "
            "rende ses avis.",
            field="quorum",
        )
    body = ReviewBody.objects.create(
        territory=territory,
        kind=kind,
        name=_text(name),
        description=_text(description),
        quorum=quorum or None,
        created_by=by.membership,
    )
    _event("casereviews.body.created", body, by, territory.pk, {"kind": kind})
    return body


def _open_sessions(body):
    return body.sessions.filter(status__in=[SessionStatus.PLANNED, SessionStatus.PUBLISHED])


@transaction.atomic
def add_member(*, body, by, membership=None, full_name="", quality="", is_external=False, sees_names=True):
    """A professional of a structure of the territory, or an external member (without account or
    access to files: always the pseudonymised form). Invited to the sessions not yet held."""
    if membership is None and not is_external:
        raise DomainError("Professionnel·le : choisissez un·e professionnel·le du territoire.", field="membership")
    if membership is not None and membership.organisation.territory_id != body.territory_id:
        raise DomainError("Professionnel·le : il ou elle doit travailler dans le territoire.", field="membership")
    if is_external and not _text(full_name) and membership is None:
        raise DomainError("Nom : indiquez le nom du membre extérieur.", field="full_name")
    if is_external and not _text(quality):
        raise DomainError(
            "Qualité : précisez à quel titre le membre extérieur siège (par exemple représentant·e des "
            "bénéficiaires du RSA).",
            field="quality",
        )
    if membership is not None and body.members.filter(membership=membership, left_on__isnull=True).exists():
        raise DomainError("Professionnel·le : il ou elle est déjà membre de l'instance.", field="membership")
    member = BodyMember.objects.create(
        body=body,
        territory_id=body.territory_id,
        membership=membership,
        full_name=_text(full_name) or (membership.user.get_full_name() if membership else ""),
        quality=_text(quality) or (membership.organisation.name if membership else ""),
        is_external=is_external,
        sees_names=sees_names and not is_external,
        joined_on=_today(),
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, member=member, territory_id=body.territory_id) for session in _open_sessions(body)
    )
    _event(
        "casereviews.member.added",
        body,
        by,
        body.territory_id,
        {"member": str(member.public_id), "external": is_external, "named": member.sees_names},
    )
    return member


@transaction.atomic
def remove_member(*, member, by):
    """The member leaves the body: no longer invited, no longer sees its cases."""
    if member.left_on is not None:
        raise DomainError("Ce membre a déjà quitté l'instance.")
    member.left_on = _today()
    member.save(update_fields=["left_on", "updated_at"])
    Attendance.objects.filter(
        member=member, session__status__in=[SessionStatus.PLANNED, SessionStatus.PUBLISHED]
    ).delete()
    _event("casereviews.member.removed", member.body, by, member.territory_id, {"member": str(member.public_id)})
    return member


# --- Sessions: one service per transition --------------------------------------------------


def _locked_session(session):
    return ReviewSession.objects.select_for_update().select_related("body").get(pk=session.pk)


def _check_session_transition(session, status):
    if status not in SESSION_TRANSITIONS[session.status]:
        raise DomainError(
            f"La séance est « {SessionStatus(session.status).label.lower()} » : elle ne peut pas passer à "
            f"« {SessionStatus(status).label.lower()} »."
        )


def agenda_due_on(session, policy=None):
    """The last day to publish the agenda (territory setting: days before the session)."""
    policy = policy or policy_for(session.territory_id)
    local = timezone.localtime(session.starts_at, ZoneInfo(session.body.territory.time_zone)).date()
    return local - datetime.timedelta(days=policy.case_review_agenda_days)


@transaction.atomic
def plan_session(*, body, starts_at, by, place="", video_link="", agenda=""):
    """A session of the body; every active member is invited."""
    if not body.is_active:
        raise DomainError("Cette instance n'est plus active.")
    if starts_at is None:
        raise DomainError("Date et heure : indiquez quand la séance a lieu.", field="starts_at")
    if not _text(place) and not _text(video_link):
        raise DomainError("Lieu : indiquez un lieu ou un lien de visioconférence.", field="place")
    session = ReviewSession.objects.create(
        body=body,
        territory_id=body.territory_id,
        starts_at=starts_at,
        place=_text(place),
        video_link=_text(video_link),
        agenda=_text(agenda),
        created_by=by.membership,
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, member=member, territory_id=body.territory_id)
        for member in body.members.filter(left_on__isnull=True)
    )
    _event("casereviews.session.planned", session, by, body.territory_id, {"starts_at": starts_at.isoformat()})
    return session


@transaction.atomic
def publish_agenda(*, session, by):
    """Publish the agenda to the members: every case on it has a presentation reviewed by its
    referent. The members are told by e-mail."""
    session = _locked_session(session)
    _check_session_transition(session, SessionStatus.PUBLISHED)
    cases = list(session.cases.filter(status=CaseStatus.SCHEDULED))
    if not cases:
        raise DomainError("Ordre du jour : inscrivez au moins une situation avant de le publier.")
    if any(not case.summary_approved for case in cases):
        raise DomainError(
            "Ordre du jour : chaque situation doit avoir une présentation relue et validée par son ou sa "
            "référent·e avant la publication."
        )
    session.status, session.agenda_published_at = SessionStatus.PUBLISHED, timezone.now()
    session.save(update_fields=["status", "agenda_published_at", "updated_at"])
    late = _today() > agenda_due_on(session)
    _event(
        "casereviews.session.agenda_published", session, by, session.territory_id, {"cases": len(cases), "late": late}
    )
    recipients = Membership.objects.filter(
        review_seats__attendances__session=session, user__is_active=True
    ).values_list("user__email", flat=True)
    _notify(
        "Plateforme SPIE : ordre du jour publié",
        "casereviews/emails/agenda_published.txt",
        {"session": session, "count": len(cases), "link": reverse("casereviews:session", args=[session.public_id])},
        list(recipients),
    )
    return session


@transaction.atomic
def record_attendance(*, session, statuses, by):
    """`statuses`: {member public id (str): status}. Allowed once the agenda is published and until
    the minutes are signed."""
    session = _locked_session(session)
    if session.status not in (SessionStatus.PUBLISHED, SessionStatus.HELD):
        raise DomainError("Présences : elles se notent une fois l'ordre du jour publié, avant le compte rendu.")
    rows = {str(row.member.public_id): row for row in session.attendances.select_related("member")}
    changed = []
    for key, status in statuses.items():
        if status not in AttendanceStatus.values:
            raise DomainError("Présence : valeur inconnue.", field="status")
        row = rows.get(str(key))
        if row is None:
            raise DomainError("Présence : membre inconnu pour cette séance.")
        if row.status != status:
            row.status = status
            changed.append(row)
    Attendance.objects.bulk_update(changed, ["status"])
    _event("casereviews.session.attendance_recorded", session, by, session.territory_id, {"changed": len(changed)})
    return session


def present_count(session):
    return session.attendances.filter(status=AttendanceStatus.PRESENT).count()


@transaction.atomic
def hold_session(*, session, by):
    """The session took place (not before its date). The legal body needs its quorum of present
    members to give opinions."""
    session = _locked_session(session)
    _check_session_transition(session, SessionStatus.HELD)
    if session.starts_at > timezone.now():
        raise DomainError("La séance ne peut pas être tenue avant sa date.")
    present = present_count(session)
    if present == 0:
        raise DomainError("Présences : notez les membres présents avant de tenir la séance.")
    quorum = session.body.quorum
    reached = quorum is None or present >= quorum
    if session.body.is_legal and not reached:
        raise DomainError(
            f"Quorum non atteint : {present} membre{'s' if present > 1 else ''} présent"
            f"{'s' if present > 1 else ''} pour {quorum} requis. L'équipe pluridisciplinaire ne peut pas "
            "rendre d'avis : reportez la séance."
        )
    territory = session.body.territory
    session.status = SessionStatus.HELD
    session.held_on = timezone.localtime(session.starts_at, ZoneInfo(territory.time_zone)).date()
    session.quorum_reached = reached if quorum is not None else None
    session.save(update_fields=["status", "held_on", "quorum_reached", "updated_at"])
    _event("casereviews.session.held", session, by, session.territory_id, {"present": present})
    return session


@transaction.atomic
def sign_minutes(*, session, by, minutes=""):
    """The coordinator signs the minutes off: cases not discussed go back to the waiting list, and
    the members keep access to the named cases for the territory's access window."""
    session = _locked_session(session)
    _check_session_transition(session, SessionStatus.CLOSED)
    postponed = list(session.cases.filter(status=CaseStatus.SCHEDULED))
    for case in postponed:
        _move_case(
            case, CaseStatus.REFERRED, by=by, action="casereviews.case.postponed", what="Instance : situation reportée"
        )
        case.session = None
        case.save(update_fields=["session", "updated_at"])
    policy = policy_for(session.territory_id)
    session.status, session.minutes = SessionStatus.CLOSED, _text(minutes)
    session.minutes_signed_at, session.minutes_signed_by = timezone.now(), by.membership
    session.named_access_until = _today() + datetime.timedelta(days=policy.case_review_access_days)
    session.save(
        update_fields=[
            "status",
            "minutes",
            "minutes_signed_at",
            "minutes_signed_by",
            "named_access_until",
            "updated_at",
        ]
    )
    _event(
        "casereviews.session.minutes_signed",
        session,
        by,
        session.territory_id,
        {"postponed": len(postponed), "named_access_until": session.named_access_until.isoformat()},
    )
    return session


@transaction.atomic
def cancel_session(*, session, reason, by):
    """Cancel a session not yet held: its cases go back to the waiting list."""
    session = _locked_session(session)
    _check_session_transition(session, SessionStatus.CANCELLED)
    if not _text(reason):
        raise DomainError("Motif : indiquez pourquoi la séance est annulée.", field="reason")
    for case in session.cases.filter(status=CaseStatus.SCHEDULED):
        _move_case(
            case, CaseStatus.REFERRED, by=by, action="casereviews.case.postponed", what="Instance : situation reportée"
        )
        case.session = None
        case.save(update_fields=["session", "updated_at"])
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    _event("casereviews.session.cancelled", session, by, session.territory_id, {"reason": _text(reason)[:200]})
    return session


# --- Cases: one service per transition -----------------------------------------------------


def _move_case(case, status, *, by, action, what, data=None):
    if status not in CASE_TRANSITIONS[case.status]:
        raise DomainError(
            f"La situation est « {CaseStatus(case.status).label.lower()} » : elle ne peut pas passer à "
            f"« {CaseStatus(status).label.lower()} »."
        )
    previous = case.status
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    record_file_write(
        case.person, by=by, action=action, what=what, target=case, data={"from": previous, "to": status, **(data or {})}
    )


def _locked_case(case):
    return ReviewCase.objects.select_for_update(of=("self",)).select_related("person", "session__body").get(pk=case.pk)


@transaction.atomic
def refer_case(*, person, question, consent_on, body_kind, by, source=CaseSource.FILE, status_review=None, summary=""):
    """The referent puts the person's situation forward, with the question asked and the day the
    person agreed. One open case per person."""
    if body_kind not in BodyKind.values:
        raise DomainError("Instance : choisissez le type d'instance.", field="body_kind")
    if consent_on is None:
        raise DomainError(
            "Accord de la personne : la situation n'est présentée qu'avec l'accord de la personne ; "
            "indiquez la date à laquelle il a été recueilli.",
            field="consent_on",
        )
    if consent_on > _today():
        raise DomainError("Accord de la personne : la date ne peut pas être dans le futur.", field="consent_on")
    if not _text(question):
        raise DomainError("Question posée : indiquez ce que vous attendez de l'instance.", field="question")
    check_free_of_identity(person, question, field="question", label="Question posée")
    check_free_of_identity(person, summary, field="summary", label="Résumé de la situation")
    if ReviewCase.objects.open().filter(person=person).exists():
        raise DomainError("Une situation est déjà proposée ou inscrite en instance pour cette personne.")
    pathway = pathway_services.open_pathway_of(person)
    try:
        with transaction.atomic():
            case = ReviewCase.objects.create(
                territory_id=person.territory_id,
                person=person,
                pathway=pathway,
                body_kind=body_kind,
                source=source,
                status_review=status_review,
                referred_by=by.membership,
                referred_on=_today(),
                question=_text(question),
                consent_on=consent_on,
                summary=_text(summary),
            )
    except IntegrityError:
        raise DomainError("Une situation est déjà proposée ou inscrite en instance pour cette personne.") from None
    record_file_write(
        person,
        by=by,
        action="casereviews.case.referred",
        what="Présentation en instance",
        target=case,
        data={"body_kind": body_kind, "source": source},
    )
    return case


@transaction.atomic
def update_presentation(*, case, question, summary, by):
    """The referent writes the pseudonymised presentation; any change must be reviewed again."""
    case = _locked_case(case)
    if case.status not in (CaseStatus.REFERRED, CaseStatus.SCHEDULED):
        raise DomainError("La situation a été examinée ou retirée : sa présentation ne change plus.")
    if case.session_id and case.session.is_published:
        raise DomainError("L'ordre du jour est publié : la présentation ne peut plus être modifiée.")
    if not _text(question):
        raise DomainError("Question posée : indiquez ce que vous attendez de l'instance.", field="question")
    check_free_of_identity(case.person, question, field="question", label="Question posée")
    check_free_of_identity(case.person, summary, field="summary", label="Résumé de la situation")
    case.question, case.summary = _text(question), _text(summary)
    case.summary_approved_at, case.summary_approved_by = None, None
    case.save(update_fields=["question", "summary", "summary_approved_at", "summary_approved_by", "updated_at"])
    record_file_write(
        case.person, by=by, action="casereviews.case.presentation_updated", what="Instance : présentation", target=case
    )
    return case


@transaction.atomic
def approve_presentation(*, case, by):
    """The referent has read the pseudonymised presentation as the members will see it."""
    case = _locked_case(case)
    if case.status not in (CaseStatus.REFERRED, CaseStatus.SCHEDULED):
        raise DomainError("La situation a été examinée ou retirée.")
    if not case.summary:
        raise DomainError("Résumé de la situation : rédigez-le avant de valider la présentation.", field="summary")
    check_free_of_identity(case.person, case.summary, field="summary", label="Résumé de la situation")
    case.summary_approved_at, case.summary_approved_by = timezone.now(), by.membership
    case.save(update_fields=["summary_approved_at", "summary_approved_by", "updated_at"])
    record_file_write(
        case.person,
        by=by,
        action="casereviews.case.presentation_approved",
        what="Instance : présentation validée",
        target=case,
    )
    return case


@transaction.atomic
def schedule_case(*, case, session, by):
    """Put a waiting case on the agenda of a session in preparation of a body of the kind asked."""
    case = _locked_case(case)
    session = _locked_session(session)
    if session.territory_id != case.territory_id:
        raise DomainError("Séance : elle n'appartient pas au territoire de la personne.", field="session")
    if session.status != SessionStatus.PLANNED:
        raise DomainError("Séance : l'ordre du jour est déjà publié ou la séance est passée.", field="session")
    if session.body.kind != case.body_kind:
        raise DomainError(
            f"Séance : la situation est proposée pour une instance « {BodyKind(case.body_kind).label} ».",
            field="session",
        )
    if session.cases.filter(status=CaseStatus.SCHEDULED).count() >= MAX_CASES_PER_SESSION:
        raise DomainError(f"Séance : l'ordre du jour compte déjà {MAX_CASES_PER_SESSION} situations.", field="session")
    case.session = session
    case.save(update_fields=["session", "updated_at"])
    _move_case(
        case,
        CaseStatus.SCHEDULED,
        by=by,
        action="casereviews.case.scheduled",
        what="Instance : situation inscrite à l'ordre du jour",
        data={"session": str(session.public_id)},
    )
    return case


@transaction.atomic
def withdraw_case(*, case, reason, by):
    """The referent or the coordinator withdraws a case not yet discussed (the person withdrew their
    agreement, the situation was solved…)."""
    case = _locked_case(case)
    if not _text(reason):
        raise DomainError("Motif : indiquez pourquoi la situation est retirée.", field="reason")
    _move_case(
        case, CaseStatus.WITHDRAWN, by=by, action="casereviews.case.withdrawn", what="Instance : situation retirée"
    )
    _refresh_action_due(case.person)
    return case


@transaction.atomic
def record_discussion(*, case, by, notes="", opinion=""):
    """The case was discussed at its held session: notes and the body's opinion (free of any
    identifying data, since the minutes may be pseudonymised)."""
    case = _locked_case(case)
    if case.session_id is None or case.session.status != SessionStatus.HELD:
        raise DomainError("La situation s'examine pendant une séance tenue (avant la signature du compte rendu).")
    check_free_of_identity(case.person, notes, field="notes", label="Notes de séance")
    check_free_of_identity(case.person, opinion, field="opinion", label="Avis de l'instance")
    if not _text(opinion):
        raise DomainError("Avis de l'instance : résumez l'avis rendu.", field="opinion")
    case.notes, case.opinion = _text(notes), _text(opinion)
    case.discussed_on = case.session.held_on
    case.days_to_session = max((case.discussed_on - case.referred_on).days, 0)
    case.save(update_fields=["notes", "opinion", "discussed_on", "days_to_session", "updated_at"])
    _move_case(
        case,
        CaseStatus.DISCUSSED,
        by=by,
        action="casereviews.case.discussed",
        what="Instance : situation examinée",
        data={"session": str(case.session.public_id), "days_to_session": case.days_to_session},
    )
    return case


def _discussed(case):
    if case.status != CaseStatus.DISCUSSED:
        raise DomainError("Décisions et actions se saisissent une fois la situation examinée.")
    if case.session.status != SessionStatus.HELD:
        raise DomainError("Le compte rendu est signé : les décisions ne changent plus.")


@transaction.atomic
def add_decision(*, case, kind, detail, by, opinion="", wished_pathway_type=""):
    """A decision on a discussed case. For the legal body, an opinion on a reorientation, a
    reduction or a suspension is favourable or not; a favourable opinion on a reorientation opens
    a reorientation request for the orientation officer."""
    case = _locked_case(case)
    _discussed(case)
    body = case.session.body
    if kind not in DECISION_KINDS[body.kind]:
        raise DomainError("Type de décision : choisissez un type proposé pour cette instance.", field="kind")
    if kind in LEGAL_OPINIONS and opinion not in Opinion.values:
        raise DomainError("Avis : indiquez si l'avis est favorable ou défavorable.", field="opinion")
    if kind not in LEGAL_OPINIONS:
        opinion = ""
    if not _text(detail):
        raise DomainError("Motivation : expliquez la décision.", field="detail")
    check_free_of_identity(case.person, detail, field="detail", label="Motivation")
    if wished_pathway_type and wished_pathway_type not in PathwayType.values:
        raise DomainError("Parcours proposé : valeur inconnue.", field="wished_pathway_type")
    decision = CaseDecision(
        case=case,
        territory_id=case.territory_id,
        kind=kind,
        opinion=opinion,
        detail=_text(detail),
        wished_pathway_type=wished_pathway_type if kind == DecisionKind.REORIENTATION else "",
        decided_on=case.discussed_on,
        recorded_by=by.membership,
    )
    if kind == DecisionKind.REORIENTATION and opinion == Opinion.FAVOURABLE:
        decision.reorientation_request = services_orientation.request_reorientation(
            person=case.person,
            reason=f"Avis favorable de l'instance « {body.name} » du {case.discussed_on:%d/%m/%Y} : {_text(detail)}",
            wished_pathway_type=decision.wished_pathway_type,
            by=by,
        )
    decision.save()
    record_file_write(
        case.person,
        by=by,
        action="casereviews.decision.recorded",
        what="Instance : décision",
        target=decision,
        data={"kind": kind, "opinion": opinion, "reorientation": decision.reorientation_request_id is not None},
    )
    return decision


def _plan_action(case, objective_code, action_code, due_on, by):
    """Copy the action into the person's contract plan (the draft, or a revision of the signed
    contract that the referent then signs with the person)."""
    pathway = pathway_services.open_pathway_of(case.person)
    if pathway is None or pathway.stage not in ACCOMPANIED_STAGES:
        raise DomainError(
            "Action du plan : la personne n'a pas de parcours orienté ouvert ; laissez ce champ vide.",
            field="action_code",
        )
    if not objective_code:
        raise DomainError("Objectif du plan : choisissez l'objectif auquel rattacher l'action.", field="objective_code")
    contract = services_contracts.start_contract(pathway=pathway, by=by)
    objective = PlanObjective.objects.filter(contract=contract, objective_code=objective_code).first()
    if objective is None:
        objective = services_contracts.add_objective(contract=contract, objective_code=objective_code, by=by)
    today = _today()
    return services_contracts.add_action(
        objective=objective, action_code=action_code, starts_on=today, ends_on=max(due_on, today), by=by
    )


@transaction.atomic
def add_action(
    *, case, title, owner_organisation, due_on, by, owner_membership=None, objective_code="", action_code=""
):
    """A follow-up action with its owner (structure, and professional if named) and due date; it
    goes into the person's contract plan when it concerns it (an action of the referential)."""
    case = _locked_case(case)
    _discussed(case)
    if not _text(title):
        raise DomainError("Action : décrivez l'action décidée.", field="title")
    check_free_of_identity(case.person, title, field="title", label="Action")
    if not isinstance(owner_organisation, Organisation) or owner_organisation.territory_id != case.territory_id:
        raise DomainError(
            "Structure chargée de l'action : choisissez une structure du territoire.", field="owner_organisation"
        )
    if owner_membership is not None and owner_membership.organisation_id != owner_organisation.pk:
        raise DomainError(
            "Professionnel·le chargé·e de l'action : il ou elle doit travailler dans la structure choisie.",
            field="owner_membership",
        )
    if due_on is None:
        raise DomainError("Échéance : indiquez la date à laquelle l'action doit être faite.", field="due_on")
    if due_on < case.discussed_on:
        raise DomainError("Échéance : elle ne peut pas précéder la séance.", field="due_on")
    plan_action = None
    if _text(action_code):
        plan_action = _plan_action(case, _text(objective_code), _text(action_code), due_on, by)
    action = CaseAction.objects.create(
        case=case,
        territory_id=case.territory_id,
        title=_text(title),
        owner_organisation=owner_organisation,
        owner_membership=owner_membership,
        due_on=due_on,
        objective_code=_text(objective_code) if plan_action else "",
        action_code=_text(action_code),
        plan_action=plan_action,
        recorded_by=by.membership,
    )
    record_file_write(
        case.person,
        by=by,
        action="casereviews.action.added",
        what="Instance : action décidée",
        target=action,
        data={"due_on": due_on.isoformat(), "in_plan": plan_action is not None},
    )
    _refresh_action_due(case.person)
    return action


def _locked_action(action):
    return CaseAction.objects.select_for_update().select_related("case__person").get(pk=action.pk)


def _move_action(action, status, *, by, action_name, what, data=None):
    if status not in ACTION_TRANSITIONS[action.status]:
        raise DomainError(
            f"L'action est « {ActionStatus(action.status).label.lower()} » : elle ne peut pas passer à "
            f"« {ActionStatus(status).label.lower()} »."
        )
    previous = action.status
    action.status = status
    action.save()
    record_file_write(
        action.case.person,
        by=by,
        action=action_name,
        what=what,
        target=action,
        data={"from": previous, "to": status, **(data or {})},
    )
    _refresh_action_due(action.case.person)


@transaction.atomic
def complete_action(*, action, by, done_on=None):
    """The action is done (on a day not in the future); whether it was done by its due date is
    kept for the indicators."""
    action = _locked_action(action)
    done_on = done_on or _today()
    if done_on > _today():
        raise DomainError("Réalisée le : la date ne peut pas être dans le futur.", field="done_on")
    if done_on < action.case.discussed_on:
        raise DomainError("Réalisée le : la date ne peut pas précéder la séance.", field="done_on")
    action.done_on, action.done_in_time = done_on, done_on <= action.due_on
    _move_action(
        action,
        ActionStatus.DONE,
        by=by,
        action_name="casereviews.action.done",
        what="Instance : action réalisée",
        data={"in_time": action.done_in_time},
    )
    return action


@transaction.atomic
def cancel_action(*, action, reason, by):
    action = _locked_action(action)
    if not _text(reason):
        raise DomainError("Motif : indiquez pourquoi l'action est annulée.", field="reason")
    _move_action(
        action,
        ActionStatus.CANCELLED,
        by=by,
        action_name="casereviews.action.cancelled",
        what="Instance : action annulée",
    )
    return action


def _refresh_action_due(person):
    """Keep the pathway's due date of the overdue-action alert: the earliest open action."""
    pathway = pathway_services.open_pathway_of(person)
    if pathway is None:
        return
    due = CaseAction.objects.open().filter(case__person=person).aggregate(day=Min("due_on"))["day"]
    pathway_services.set_case_action_due(pathway=pathway, due_on=due)


# --- Candidates spotted by the platform ----------------------------------------------------


@transaction.atomic
def invite_referent(*, pathway, reasons, by):
    """The coordinator invites the referent of a spotted pathway to bring the case (e-mail)."""
    if pathway.referent_id is None:
        raise DomainError("Cette personne n'a pas de référent·e à inviter.")
    if CandidateInvitation.objects.filter(person_id=pathway.person_id, invited_on=_today()).exists():
        raise DomainError("Le ou la référent·e a déjà été invité·e aujourd'hui pour cette personne.")
    invitation = CandidateInvitation.objects.create(
        territory_id=pathway.territory_id,
        person_id=pathway.person_id,
        referent_id=pathway.referent_id,
        reasons=", ".join(reasons)[:300],
        invited_by=by.membership,
        invited_on=_today(),
    )
    record_file_write(
        pathway.person,
        by=by,
        action="casereviews.candidate.invited",
        what="Instance : invitation à présenter la situation",
        target=invitation,
        data={"reasons": list(reasons)},
    )
    _notify(
        "Plateforme SPIE : présenter une situation en instance",
        "casereviews/emails/candidate_invitation.txt",
        {
            "reasons": reasons,
            "link": reverse("casereviews:refer", args=[pathway.person.public_id]) + "?origine=invitation",
        },
        [pathway.referent.user.email],
    )
    return invitation
