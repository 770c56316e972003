"""Shortcuts to build case reviews in tests through the real services."""

import datetime

from django.utils import timezone

from spie.casereviews import services
from spie.casereviews.enums import AttendanceStatus, BodyKind
from tests.diagnostics.helpers import actor

QUESTION = "Quelles solutions pour lever le frein de la mobilité ?"
SUMMARY = "Parcours engagé depuis quelques mois, recherche active, pas de moyen de transport."


def make_body(territory, coordinator, *, colleague=None, pseudonymous=None, external=None, kind=BodyKind.SUPPORT_GROUP):
    body = services.create_body(
        territory=territory,
        kind=kind,
        name="Groupe d'appui de Lille" if kind == BodyKind.SUPPORT_GROUP else "Équipe pluridisciplinaire du Nord",
        quorum=3 if kind == BodyKind.RSA_TEAM else None,
        by=actor(coordinator),
    )
    by = actor(coordinator)
    services.add_member(body=body, membership=coordinator.memberships.get(), by=by)
    if colleague is not None:
        services.add_member(body=body, membership=colleague.memberships.get(), by=by)
    if pseudonymous is not None:
        services.add_member(body=body, membership=pseudonymous.memberships.get(), sees_names=False, by=by)
    if external is not None:
        services.add_member(
            body=body,
            membership=external.memberships.get(),
            is_external=True,
            quality="Représentant des bénéficiaires du RSA",
            by=by,
        )
    services.add_member(
        body=body, full_name="Dominique Représentante", quality="Bénéficiaire du RSA", is_external=True, by=by
    )
    return body


def referred(person, referent, *, body_kind=BodyKind.SUPPORT_GROUP, approve=True, **extra):
    case = services.refer_case(
        person=person,
        question=QUESTION,
        summary=SUMMARY,
        consent_on=timezone.localdate(),
        body_kind=body_kind,
        by=actor(referent),
        **extra,
    )
    if approve:
        case = services.approve_presentation(case=case, by=actor(referent))
    return case


def planned(body, coordinator, *, starts_at=None):
    return services.plan_session(
        body=body,
        starts_at=starts_at or timezone.now() - datetime.timedelta(hours=1),
        place="Maison de l'emploi, salle 2",
        by=actor(coordinator),
    )


def published(body, coordinator, case, **extra):
    session = planned(body, coordinator, **extra)
    services.schedule_case(case=case, session=session, by=actor(coordinator))
    return services.publish_agenda(session=session, by=actor(coordinator))


def held(session, coordinator):
    statuses = {str(row.member.public_id): AttendanceStatus.PRESENT for row in session.attendances.all()}
    services.record_attendance(session=session, statuses=statuses, by=actor(coordinator))
    return services.hold_session(session=session, by=actor(coordinator))


def discussed(case, coordinator, opinion="L'instance recommande une aide à la mobilité."):
    return services.record_discussion(
        case=case, notes="Échanges entre les structures.", opinion=opinion, by=actor(coordinator)
    )


def full_case(body, person, referent, coordinator):
    """A case referred, put on a held session's agenda and discussed; returns (session, case)."""
    case = referred(person, referent, body_kind=body.kind)
    session = held(published(body, coordinator, case), coordinator)
    case.refresh_from_db()
    return session, discussed(case, coordinator)
