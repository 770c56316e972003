"""Demo case reviews: in each territory, a support group and an RSA équipe pluridisciplinaire with
members of several structures (and an external member), a past session with its cases decided
and their follow-up actions (some done, some overdue), and a session in preparation."""

import datetime

from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.pathways import services as pathway_services
from spie.pathways.enums import ACCOMPANIED_STAGES
from spie.pathways.models import Pathway
from spie.territories.models import Territory

from .enums import (
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
    CaseAction,
    CaseDecision,
    ReviewBody,
    ReviewCase,
    ReviewSession,
)

QUESTIONS = [
    "Quelles solutions de mobilité pour accéder aux offres du bassin ?",
    "Comment lever le frein du logement avant de reprendre la recherche d'emploi ?",
    "Une orientation vers un parcours social est-elle plus adaptée ?",
    "Quel accompagnement santé proposer en parallèle de la formation ?",
    "Comment reprendre contact après plusieurs absences aux rendez-vous ?",
    "Quelle solution de garde pour permettre l'entrée en formation ?",
]
SUMMARIES = [
    "Parcours engagé depuis plusieurs mois, démarches de recherche régulières mais sans moyen de transport.",
    "Hébergement précaire, suivi social en cours, projet professionnel dans le secteur du soin.",
    "Difficultés de santé déclarées, besoin d'un temps de stabilisation avant une reprise d'activité.",
    "Plusieurs rendez-vous manqués ces derniers mois, contact renoué par téléphone.",
    "Projet de formation validé, entrée conditionnée à une solution de garde d'enfant.",
    "Expérience dans la logistique, freins numériques importants pour les démarches en ligne.",
]
OPINIONS = [
    "L'instance recommande un accompagnement renforcé et la mobilisation des aides à la mobilité.",
    "L'instance propose une orientation vers un parcours social le temps de stabiliser la situation.",
    "L'instance recommande une immersion en entreprise avant l'entrée en formation.",
]
ACTIONS = [
    "Demander une aide au permis de conduire",
    "Orienter vers le service logement du CCAS",
    "Proposer une immersion dans le secteur visé",
    "Inscrire à l'atelier numérique de la structure",
    "Rechercher une place en crèche",
]


def _team(territory):
    members = list(
        Membership.objects.active()
        .filter(organisation__territory=territory, role__in=[Role.CONSEILLER, Role.GESTIONNAIRE, Role.COORDINATEUR])
        .select_related("user", "organisation")
        .order_by("role", "organisation__name", "pk")
    )
    coordinator = next((m for m in members if m.role == Role.COORDINATEUR), None)
    by_structure = {}
    for membership in members:
        if membership.role != Role.COORDINATEUR:
            by_structure.setdefault(membership.organisation_id, membership)
    return coordinator, list(by_structure.values())[:5]


def _local(day, hour, territory):
    from zoneinfo import ZoneInfo

    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo(territory.time_zone))


def _body(territory, kind, name, coordinator, professionals, context, today):
    body = ReviewBody.objects.create(
        territory=territory,
        kind=kind,
        name=name,
        description="Examen pluri-professionnel des situations les plus complexes du territoire.",
        quorum=3 if kind == BodyKind.RSA_TEAM else None,
        created_by=coordinator,
    )
    joined = today - datetime.timedelta(days=120)
    members = [
        BodyMember(
            body=body,
            territory=territory,
            membership=membership,
            full_name=membership.user.get_full_name(),
            quality=membership.organisation.name,
            joined_on=joined,
        )
        for membership in [coordinator, *professionals]
    ]
    if kind == BodyKind.RSA_TEAM:
        members.append(
            BodyMember(
                body=body,
                territory=territory,
                full_name=context.fake.name(),
                quality="Représentant·e des bénéficiaires du RSA",
                is_external=True,
                sees_names=False,
                joined_on=joined,
            )
        )
    return body, BodyMember.objects.bulk_create(members)


def _session(body, members, starts, status, coordinator, today, access_days=30):
    closed = status == SessionStatus.CLOSED
    session = ReviewSession.objects.create(
        body=body,
        territory_id=body.territory_id,
        starts_at=starts,
        place="Maison de l'emploi, salle de réunion",
        agenda="Point sur les actions décidées à la séance précédente.",
        status=status,
        agenda_published_at=starts - datetime.timedelta(days=8) if closed else None,
        held_on=starts.date() if closed else None,
        quorum_reached=True if closed and body.quorum else None,
        minutes="Séance tenue dans les conditions prévues." if closed else "",
        minutes_signed_at=starts + datetime.timedelta(days=2) if closed else None,
        minutes_signed_by=coordinator if closed else None,
        named_access_until=starts.date() + datetime.timedelta(days=2 + access_days) if closed else None,
        created_by=coordinator,
    )
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            member=member,
            territory_id=body.territory_id,
            status=(AttendanceStatus.PRESENT if index % 4 else AttendanceStatus.EXCUSED)
            if closed
            else AttendanceStatus.INVITED,
        )
        for index, member in enumerate(members, start=1)
    )
    return session


def seed_territory(territory, context, today):
    coordinator, professionals = _team(territory)
    if coordinator is None or len(professionals) < 2:
        return 0, 0, 0
    pathways = list(
        Pathway.objects.filter(territory=territory, stage__in=ACCOMPANIED_STAGES, referent__isnull=False)
        .exclude(person__review_cases__isnull=False)
        .select_related("person")
        .order_by("stage_since", "pk")[:8]
    )
    if len(pathways) < 4:
        return 0, 0, 0
    rng = context.rng
    group, group_members = _body(
        territory,
        BodyKind.SUPPORT_GROUP,
        f"Groupe d'appui — {territory.name}",
        coordinator,
        professionals,
        context,
        today,
    )
    team, team_members = _body(
        territory,
        BodyKind.RSA_TEAM,
        f"Équipe pluridisciplinaire RSA — {territory.name}",
        coordinator,
        professionals,
        context,
        today,
    )
    past = _session(
        group,
        group_members,
        _local(today - datetime.timedelta(days=40), 14, territory),
        SessionStatus.CLOSED,
        coordinator,
        today,
    )
    legal = _session(
        team,
        team_members,
        _local(today - datetime.timedelta(days=25), 9, territory),
        SessionStatus.CLOSED,
        coordinator,
        today,
    )
    upcoming = _session(
        group,
        group_members,
        _local(today + datetime.timedelta(days=14), 14, territory),
        SessionStatus.PLANNED,
        coordinator,
        today,
    )
    cases, actions, decisions = [], [], []
    organisations = [membership.organisation for membership in professionals]
    for index, pathway in enumerate(pathways):
        session = [past, legal, past, legal, upcoming, None, None, None][index]
        if index >= 6:
            break
        discussed = session is not None and session.status == SessionStatus.CLOSED
        referred_on = (session.held_on if discussed else today) - datetime.timedelta(days=rng.randint(10, 35))
        case = ReviewCase(
            territory=territory,
            person=pathway.person,
            pathway=pathway,
            body_kind=session.body.kind if session else BodyKind.SUPPORT_GROUP,
            session=session,
            status=CaseStatus.DISCUSSED if discussed else (CaseStatus.SCHEDULED if session else CaseStatus.REFERRED),
            source=CaseSource.STATUS_REVIEW if index % 2 else CaseSource.SITUATION,
            referred_by=pathway.referent,
            referred_on=min(referred_on, today),
            question=QUESTIONS[index % len(QUESTIONS)],
            consent_on=min(referred_on, today),
            summary=SUMMARIES[index % len(SUMMARIES)],
            summary_approved_at=timezone.now() if session else None,
            summary_approved_by=pathway.referent if session else None,
            discussed_on=session.held_on if discussed else None,
            notes="Échanges entre les structures présentes sur les solutions mobilisables." if discussed else "",
            opinion=OPINIONS[index % len(OPINIONS)] if discussed else "",
        )
        if discussed:
            case.days_to_session = (case.discussed_on - case.referred_on).days
        cases.append(case)
    ReviewCase.objects.bulk_create(cases)
    for index, case in enumerate(cases):
        if case.status != CaseStatus.DISCUSSED:
            continue
        legal_body = case.session.body.kind == BodyKind.RSA_TEAM
        decisions.append(
            CaseDecision(
                case=case,
                territory=territory,
                kind=DecisionKind.SUSPENSION if legal_body else DecisionKind.RECOMMENDATION,
                opinion=Opinion.UNFAVOURABLE if legal_body else "",
                detail="Les démarches engagées justifient de maintenir l'allocation." if legal_body else case.opinion,
                decided_on=case.discussed_on,
                recorded_by=coordinator,
            )
        )
        for number in range(2):
            due = case.discussed_on + datetime.timedelta(days=rng.choice([10, 20, 30, 60]))
            done = number == 0 and index % 2 == 0
            done_on = min(due + datetime.timedelta(days=rng.choice([-5, 3])), today) if done else None
            owner = organisations[(index + number) % len(organisations)]
            actions.append(
                CaseAction(
                    case=case,
                    territory=territory,
                    title=ACTIONS[(index + number) % len(ACTIONS)],
                    owner_organisation=owner,
                    due_on=due,
                    done_on=done_on,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    done_in_time=(done_on <= due) if done else None,
                    recorded_by=coordinator,
                )
            )
    CaseDecision.objects.bulk_create(decisions)
    CaseAction.objects.bulk_create(actions)
    earliest = {}
    for action in actions:
        if action.status == ActionStatus.OPEN:
            person_id = action.case.person_id
            earliest[person_id] = min(action.due_on, earliest.get(person_id, action.due_on))
    for case in cases:
        if case.person_id in earliest:
            pathway_services.set_case_action_due(pathway=case.pathway, due_on=earliest[case.person_id])
    return 2, 3, len(actions)


def seed(context):
    today = timezone.localdate()
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    totals = [0, 0, 0]
    for territory in territories:
        if ReviewBody.objects.filter(territory=territory).exists():
            continue
        for index, value in enumerate(seed_territory(territory, context, today)):
            totals[index] += value
    return f"{totals[0]} instances, {totals[1]} séances avec leurs situations, {totals[2]} actions de suivi"
