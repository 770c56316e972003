"""Case reviews services: bodies, sessions and cases along their transition tables, decisions,
actions into the contract plan, the overdue alert and the figures kept for the indicators."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from spie.casereviews import services
from spie.casereviews.enums import AttendanceStatus, BodyKind, CaseStatus, DecisionKind, Opinion, SessionStatus
from spie.casereviews.models import CaseAction, ReviewCase
from spie.core.audit import action_label
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.pathways import alerts
from spie.pathways.enums import AlertType, ReorientationStatus, Severity
from spie.pathways.models import Pathway, PlanAction, ReorientationRequest
from spie.people.models import AccessLog
from tests.casereviews.helpers import discussed, full_case, held, make_body, planned, published, referred
from tests.diagnostics.helpers import actor

pytestmark = pytest.mark.django_db


def travel(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False)


# --- Bodies and sessions ---------------------------------------------------------------------


def test_the_legal_body_needs_a_quorum_and_external_members_never_see_names(nord, coordinator):
    with pytest.raises(DomainError) as error:
        services.create_body(territory=nord, kind=BodyKind.RSA_TEAM, name="EP", by=actor(coordinator))
    assert error.value.field == "quorum"
    body = make_body(nord, coordinator, kind=BodyKind.RSA_TEAM)
    external = body.members.get(is_external=True)
    assert external.sees_names is False and external.membership is None
    with pytest.raises(DomainError) as error:
        services.add_member(body=body, full_name="Sans qualité", is_external=True, by=actor(coordinator))
    assert error.value.field == "quality"


def test_a_member_of_another_territory_cannot_join(body, coordinator, other_territory):
    with pytest.raises(DomainError) as error:
        services.add_member(body=body, membership=other_territory.memberships.get(), by=actor(coordinator))
    assert error.value.field == "membership"


def test_publishing_needs_cases_whose_presentation_the_referent_approved(
    body, camille, pathway, conseiller, coordinator
):
    session = planned(body, coordinator)
    with pytest.raises(DomainError, match="au moins une situation"):
        services.publish_agenda(session=session, by=actor(coordinator))
    case = referred(camille, conseiller, approve=False)
    services.schedule_case(case=case, session=session, by=actor(coordinator))
    with pytest.raises(DomainError, match="relue et validée"):
        services.publish_agenda(session=session, by=actor(coordinator))
    services.update_presentation(case=case, question="Question ?", summary="Situation résumée.", by=actor(conseiller))
    services.approve_presentation(case=case, by=actor(conseiller))
    mail.outbox.clear()
    with pytest.raises(DomainError):
        services.schedule_case(case=case, session=session, by=actor(coordinator))
    session = services.publish_agenda(session=session, by=actor(coordinator))
    assert session.status == SessionStatus.PUBLISHED and session.agenda_published_at is not None


def test_members_are_told_when_the_agenda_is_published(
    body, camille, pathway, conseiller, coordinator, django_capture_on_commit_callbacks
):
    case = referred(camille, conseiller)
    session = planned(body, coordinator)
    services.schedule_case(case=case, session=session, by=actor(coordinator))
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(session=session, by=actor(coordinator))
    assert len(mail.outbox) == 1
    recipients = set(mail.outbox[0].to)
    assert {"collegue@ft-lille.fr", "representant@horizons.fr", "gestionnaire@ft-lille.fr"} <= recipients
    assert "Martin" not in mail.outbox[0].body


def test_the_agenda_is_due_the_territorys_delay_before_the_session(body, coordinator, nord):
    starts = timezone.now() + datetime.timedelta(days=20)
    session = planned(body, coordinator, starts_at=starts)
    assert services.agenda_due_on(session) == timezone.localtime(starts).date() - datetime.timedelta(days=7)
    from spie.territories.models import TerritorySettings

    TerritorySettings.objects.create(territory=nord, case_review_agenda_days=10)
    assert services.agenda_due_on(session) == timezone.localtime(starts).date() - datetime.timedelta(days=10)


def test_a_session_is_not_held_before_its_date_nor_without_quorum(
    nord, coordinator, colleague, camille, pathway, conseiller
):
    body = make_body(nord, coordinator, colleague=colleague, kind=BodyKind.RSA_TEAM)
    case = referred(camille, conseiller, body_kind=BodyKind.RSA_TEAM)
    future = published(body, coordinator, case, starts_at=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="avant sa date"):
        services.hold_session(session=future, by=actor(coordinator))
    services.cancel_session(session=future, reason="Salle indisponible", by=actor(coordinator))
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED and case.session is None
    session = published(body, coordinator, case)
    rows = list(session.attendances.select_related("member"))
    statuses = {str(row.member.public_id): AttendanceStatus.PRESENT for row in rows[:2]}
    services.record_attendance(session=session, statuses=statuses, by=actor(coordinator))
    with pytest.raises(DomainError, match="Quorum non atteint : 2 membres présents pour 3 requis"):
        services.hold_session(session=session, by=actor(coordinator))
    session = held(session, coordinator)
    assert session.status == SessionStatus.HELD and session.quorum_reached is True


def test_signing_the_minutes_opens_the_access_window_and_postpones_cases_not_discussed(
    body, camille, pathway, conseiller, coordinator
):
    session = held(published(body, coordinator, referred(camille, conseiller)), coordinator)
    with pytest.raises(DomainError):
        services.publish_agenda(session=session, by=actor(coordinator))
    session = services.sign_minutes(session=session, minutes="Séance constructive.", by=actor(coordinator))
    assert session.status == SessionStatus.CLOSED
    assert session.named_access_until == timezone.localdate() + datetime.timedelta(days=30)
    case = ReviewCase.objects.get()
    assert case.status == CaseStatus.REFERRED and case.session is None
    labels = [action_label(e.action) for e in AuditEvent.objects.filter(action__startswith="casereviews.")]
    assert "Compte rendu de séance signé" in labels and "Situation reportée à une autre séance" in labels


# --- Cases -----------------------------------------------------------------------------------


def test_a_case_needs_the_persons_agreement_and_a_question(camille, pathway, conseiller):
    for field, extra in (("consent_on", {"consent_on": None}), ("question", {"question": "  "})):
        data = {
            "person": camille,
            "question": "Une question ?",
            "consent_on": timezone.localdate(),
            "body_kind": BodyKind.SUPPORT_GROUP,
            "by": actor(conseiller),
        }
        with pytest.raises(DomainError) as error:
            services.refer_case(**(data | extra))
        assert error.value.field == field


@pytest.mark.parametrize(
    "text",
    [
        "Camille a besoin d'une voiture",
        "Mme MARTIN cherche",
        "née le 14/05/1985",
        "habite 12 rue nationale",
        "FT 1234000X",
    ],
)
def test_texts_read_by_members_refuse_identifying_data(camille, pathway, conseiller, text):
    camille.france_travail_id = "1234000X"
    with pytest.raises(DomainError, match="retirez le nom") as error:
        services.refer_case(
            person=camille,
            question=text,
            consent_on=timezone.localdate(),
            body_kind=BodyKind.SUPPORT_GROUP,
            by=actor(conseiller),
        )
    assert error.value.field == "question"


def test_one_open_case_per_person_and_the_referral_is_in_the_file(camille, pathway, conseiller):
    case = referred(camille, conseiller)
    assert case.pathway == pathway and case.referred_on == timezone.localdate()
    with pytest.raises(DomainError, match="déjà proposée"):
        referred(camille, conseiller)
    assert AuditEvent.objects.filter(action="casereviews.case.referred", subject_id=camille.public_id).exists()
    assert AccessLog.objects.filter(person=camille, what="Présentation en instance").exists()


def test_a_withdrawn_case_leaves_room_for_a_new_one(camille, pathway, conseiller):
    case = referred(camille, conseiller)
    services.withdraw_case(case=case, reason="La personne a retiré son accord.", by=actor(conseiller))
    with pytest.raises(DomainError):
        services.withdraw_case(case=case, reason="Encore", by=actor(conseiller))
    assert referred(camille, conseiller).status == CaseStatus.REFERRED


def test_discussion_records_the_day_and_the_delay_from_the_referral(body, camille, pathway, conseiller, coordinator):
    with travel(datetime.date(2026, 11, 2)):
        case = referred(camille, conseiller)
    session = held(published(body, coordinator, case), coordinator)
    case.refresh_from_db()
    case = discussed(case, coordinator)
    assert case.status == CaseStatus.DISCUSSED
    assert case.discussed_on == session.held_on == timezone.localdate()
    assert case.days_to_session == (timezone.localdate() - datetime.date(2026, 11, 2)).days


def test_a_case_is_not_discussed_outside_a_held_session(body, camille, pathway, conseiller, coordinator):
    case = referred(camille, conseiller)
    published(body, coordinator, case)
    case.refresh_from_db()
    with pytest.raises(DomainError, match="séance tenue"):
        discussed(case, coordinator)


# --- Decisions -------------------------------------------------------------------------------


def test_decision_types_follow_the_body(body, camille, pathway, conseiller, coordinator):
    _, case = full_case(body, camille, conseiller, coordinator)
    with pytest.raises(DomainError) as error:
        services.add_decision(
            case=case, kind=DecisionKind.SUSPENSION, opinion="favorable", detail="x", by=actor(coordinator)
        )
    assert error.value.field == "kind"
    decision = services.add_decision(
        case=case,
        kind=DecisionKind.RECOMMENDATION,
        opinion=Opinion.FAVOURABLE,
        detail="Aide à la mobilité.",
        by=actor(coordinator),
    )
    assert decision.opinion == "" and decision.decided_on == case.discussed_on


def test_a_favourable_reorientation_opinion_opens_a_reorientation_request(
    nord, coordinator, colleague, camille, pathway, conseiller, orientation_officer
):
    body = make_body(nord, coordinator, colleague=colleague, kind=BodyKind.RSA_TEAM)
    _, case = full_case(body, camille, conseiller, coordinator)
    with pytest.raises(DomainError) as error:
        services.add_decision(
            case=case, kind=DecisionKind.REORIENTATION, detail="Parcours social.", by=actor(coordinator)
        )
    assert error.value.field == "opinion"
    services.add_decision(
        case=case,
        kind=DecisionKind.REDUCTION,
        opinion=Opinion.UNFAVOURABLE,
        detail="Démarches en cours.",
        by=actor(coordinator),
    )
    assert not ReorientationRequest.objects.exists()
    decision = services.add_decision(
        case=case,
        kind=DecisionKind.REORIENTATION,
        opinion=Opinion.FAVOURABLE,
        detail="Un parcours social permettrait de stabiliser la situation.",
        wished_pathway_type="social",
        by=actor(coordinator),
    )
    request = ReorientationRequest.objects.get()
    assert decision.reorientation_request == request
    assert request.status == ReorientationStatus.PENDING and request.wished_pathway_type == "social"
    assert "Avis favorable de l'instance « Équipe pluridisciplinaire du Nord »" in request.reason


# --- Actions, the contract plan and the overdue alert ---------------------------------------


@pytest.fixture
def case(body, camille, pathway, conseiller, coordinator, pathway_referential):
    return full_case(body, camille, conseiller, coordinator)[1]


def _action(case, coordinator, owner, due_on, **extra):
    return services.add_action(
        case=case,
        title="Demander une aide au permis",
        owner_organisation=owner,
        due_on=due_on,
        by=actor(coordinator),
        **extra,
    )


def test_an_action_that_concerns_the_plan_goes_into_the_contract(case, coordinator, ft_lille):
    due = case.discussed_on + datetime.timedelta(days=20)
    action = _action(case, coordinator, ft_lille, due, objective_code="trouver_un_emploi.o01", action_code="emploi.a01")
    plan_action = PlanAction.objects.get(pk=action.plan_action_id)
    assert plan_action.action_code == "emploi.a01" and plan_action.ends_on == due
    assert plan_action.objective.objective_code == "trouver_un_emploi.o01"
    assert plan_action.contract.person == case.person
    other = _action(case, coordinator, ft_lille, due)
    assert other.plan_action is None and PlanAction.objects.count() == 1


def test_an_action_needs_an_owner_of_the_territory_and_a_due_date_after_the_session(
    case, coordinator, ft_lille, ml_ardennes, other_territory
):
    with pytest.raises(DomainError) as error:
        _action(case, coordinator, ml_ardennes, case.discussed_on)
    assert error.value.field == "owner_organisation"
    with pytest.raises(DomainError) as error:
        _action(case, coordinator, ft_lille, case.discussed_on - datetime.timedelta(days=1))
    assert error.value.field == "due_on"
    with pytest.raises(DomainError) as error:
        _action(case, coordinator, ft_lille, case.discussed_on, owner_membership=other_territory.memberships.get())
    assert error.value.field == "owner_membership"


def _alerts(pathway, day):
    pathway = Pathway.objects.get(pk=pathway.pk)
    return {alert.type: alert for alert in alerts.alerts_of(pathway, day)}


def test_an_overdue_action_raises_an_alert_on_the_point_de_situation_until_done(case, coordinator, ft_lille, pathway):
    due = case.discussed_on + datetime.timedelta(days=10)
    later = _action(case, coordinator, ft_lille, due + datetime.timedelta(days=30))
    action = _action(case, coordinator, ft_lille, due)
    pathway.refresh_from_db()
    assert pathway.next_case_action_on == due == pathway.case_action_due_on
    assert AlertType.CASE_ACTION_OVERDUE not in _alerts(pathway, due)
    alert = _alerts(pathway, due + datetime.timedelta(days=1))[AlertType.CASE_ACTION_OVERDUE]
    assert alert.severity == Severity.MEDIUM and alert.since == due + datetime.timedelta(days=1)
    territory = Pathway.objects.filter(territory=pathway.territory)
    assert alerts.counts(territory, due + datetime.timedelta(days=1))[AlertType.CASE_ACTION_OVERDUE.value] == 1
    with travel(due + datetime.timedelta(days=3)):
        done = services.complete_action(action=action, by=actor(coordinator))
    assert done.done_on == due + datetime.timedelta(days=3) and done.done_in_time is False
    pathway.refresh_from_db()
    assert pathway.case_action_due_on == later.due_on
    assert pathway.medium_due_on <= later.due_on
    services.cancel_action(action=later, reason="Plus nécessaire", by=actor(coordinator))
    pathway.refresh_from_db()
    assert pathway.case_action_due_on is None and pathway.next_case_action_on is None


def test_the_alert_keeps_its_severity_tier(case, coordinator, ft_lille, pathway):
    due = case.discussed_on + datetime.timedelta(days=1)
    _action(case, coordinator, ft_lille, due)
    pathway.refresh_from_db()
    medium = [d for d in (pathway.next_review_due_on, pathway.stage_due_on, pathway.case_action_due_on) if d]
    assert pathway.medium_due_on == min(medium)


def test_actions_done_by_their_due_date_are_counted(case, coordinator, ft_lille):
    action = _action(case, coordinator, ft_lille, case.discussed_on + datetime.timedelta(days=5))
    action = services.complete_action(action=action, by=actor(coordinator))
    assert action.done_in_time is True and action.status == "realisee"
    with pytest.raises(DomainError):
        services.complete_action(action=action, by=actor(coordinator))
    assert CaseAction.objects.filter(done_in_time=True).count() == 1


def test_every_recorded_action_has_a_french_label(case, coordinator, ft_lille):
    _action(case, coordinator, ft_lille, case.discussed_on)
    for action in AuditEvent.objects.filter(action__startswith="casereviews.").values_list("action", flat=True):
        assert action_label(action) != action
