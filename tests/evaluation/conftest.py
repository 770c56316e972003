"""A small hand-built history in Nord (and one pathway in Ardennes), with a frozen clock: the
expected figures of every indicator are written in the tests, worked out by hand from here."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache

from spie.companies.enums import ContactStatus, ImmersionStatus, PositioningStatus
from spie.companies.models import ContactRequest, ImmersionAssessment, TrainingPositioning
from spie.offers.enums import ReferralStatus
from spie.offers.models import Offer, Referral
from spie.pathways.enums import AppointmentStatus, ClosingReason, PathwayType, Stage
from spie.pathways.models import (
    Appointment,
    EmploymentCheckpoint,
    EmploymentFollowUp,
    Pathway,
    StatusReview,
)
from spie.territories.enums import BudgetPurpose
from spie.territories.models import BudgetLine
from tests.companies.factories import (
    CompanyFactory,
    ContactFactory,
    TrainingFactory,
    commune,
    immersion,
    rome_referential,
    shortage,
)
from tests.offers.factories import make_offer
from tests.people.factories import PersonFactory, seat

TODAY = datetime.date(2026, 11, 28)
D = datetime.date


def frozen(day=TODAY):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with frozen() as traveller:
        yield traveller


def _at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def make_pathway(territory, *, referent=None, number=0, **fields):
    person = PersonFactory(territory=territory, birth_name=f"Personne{number}", entry_date=fields["entered_on"])
    if referent is not None:
        seat(person, referent, is_referent=True, ended_on=fields.get("closed_on"))
        fields.setdefault("referent", referent.memberships.get())
        fields.setdefault("referent_organisation", referent.memberships.get().organisation)
    fields.setdefault("stage_since", fields["entered_on"])
    return Pathway.objects.create(person=person, territory=territory, **fields)


def appointment(pathway, membership, day, status):
    return Appointment.objects.create(
        person=pathway.person,
        pathway=pathway,
        territory=pathway.territory,
        professional=membership,
        starts_at=_at(day),
        status=status,
    )


def follow_up(pathway, job, start, checkpoints):
    """`checkpoints`: {months: still_in_job or None (not recorded)}."""
    from spie.pathways.dates import add_months

    item = EmploymentFollowUp.objects.create(
        pathway=pathway,
        person=pathway.person,
        territory=pathway.territory,
        employer_name="Employeur",
        employer_siret="12345678901234",
        rome_job=job,
        contract_type="cdi",
        working_time="temps_plein",
        start_date=start,
        is_durable=True,
    )
    for months in (1, 3, 6):
        still = checkpoints.get(months)
        EmploymentCheckpoint.objects.create(
            follow_up=item,
            pathway=pathway,
            territory=pathway.territory,
            months=months,
            due_on=add_months(start, months),
            still_in_job=still,
            recorded_on=add_months(start, months) if still is not None else None,
        )
    return item


@pytest.fixture
def history(clock, nord, ardennes, ft_lille, departement_nord, conseiller, other_structure, coordinator, gestionnaire):
    """Nord: seven pathways (P1–P7) with their appointments, reviews, returns to work, immersions,
    trainings, contact requests, referrals, offers and budget; Ardennes: one oriented pathway."""
    from tests.conftest import _member

    lille = commune("lille")
    jobs = rome_referential()
    care, kitchen = jobs["J1501"], jobs["G1602"]
    shortage(nord, care, starts_on=D(2026, 1, 1))
    ft, dept = conseiller.memberships.get(), other_structure.memberships.get()
    pro, social = PathwayType.PROFESSIONAL, PathwayType.SOCIAL

    p1 = make_pathway(
        nord, referent=conseiller, number=1, pathway_type=pro, stage=Stage.ACCOMPANIMENT,
        entered_on=D(2026, 8, 1), oriented_on=D(2026, 8, 21), contract_signed_on=D(2026, 9, 10),
        last_seen_appointment_on=D(2026, 11, 1), last_review_on=D(2026, 10, 15), stage_due_on=D(2028, 1, 1),
    )  # fmt: skip
    p2 = make_pathway(
        nord, referent=other_structure, number=2, pathway_type=social, stage=Stage.ORIENTED,
        entered_on=D(2026, 8, 10), oriented_on=D(2026, 9, 29), last_seen_appointment_on=D(2026, 11, 15),
        stage_due_on=D(2026, 11, 13),
    )  # fmt: skip
    p3 = make_pathway(nord, number=3, stage=Stage.ENTRY, entered_on=D(2026, 9, 20), stage_due_on=D(2026, 11, 1))
    seat(p3.person, conseiller, is_referent=True)
    p4 = make_pathway(
        nord, referent=conseiller, number=4, pathway_type=pro, stage=Stage.CONTRACT_SIGNED,
        entered_on=D(2026, 10, 5), oriented_on=D(2026, 10, 20), contract_signed_on=D(2026, 10, 25),
        stage_due_on=D(2026, 12, 20),
    )  # fmt: skip
    p5 = make_pathway(
        nord, referent=conseiller, number=5, pathway_type=pro, stage=Stage.CLOSED, entered_on=D(2026, 3, 1),
        oriented_on=D(2026, 3, 11), contract_signed_on=D(2026, 5, 1), closed_on=D(2026, 10, 1),
        closing_reason=ClosingReason.DURABLE_JOB,
    )  # fmt: skip
    p6 = make_pathway(
        nord, referent=other_structure, number=6, pathway_type=PathwayType.SOCIO_PROFESSIONAL, stage=Stage.CLOSED,
        entered_on=D(2026, 4, 1), oriented_on=D(2026, 4, 6), contract_signed_on=D(2026, 4, 20),
        closed_on=D(2026, 7, 1), closing_reason=ClosingReason.LOST_CONTACT,
    )  # fmt: skip
    p7 = make_pathway(
        nord, referent=conseiller, number=7, pathway_type=pro, stage=Stage.CLOSED, entered_on=D(2025, 6, 1),
        oriented_on=D(2025, 6, 20), closed_on=D(2026, 2, 1), closing_reason=ClosingReason.NON_DURABLE_JOB,
    )  # fmt: skip
    ardennes_counsellor = _member(
        __import__("tests.accounts.factories", fromlist=["OrganisationFactory"]).OrganisationFactory(
            name="France Travail Charleville", territory=ardennes
        ),
        "conseiller",
        "conseiller@ft-charleville.fr",
    )
    make_pathway(
        ardennes, referent=ardennes_counsellor, number=8, pathway_type=pro, stage=Stage.ORIENTED,
        entered_on=D(2026, 8, 1), oriented_on=D(2026, 8, 11), stage_due_on=D(2026, 12, 31),
    )  # fmt: skip

    seen, no_show = AppointmentStatus.SEEN, AppointmentStatus.NO_SHOW
    for pathway, membership, day, status in (
        (p1, ft, D(2026, 8, 5), seen),  # before the orientation: not the first accompaniment
        (p1, ft, D(2026, 9, 1), seen),
        (p1, ft, D(2026, 11, 1), seen),
        (p1, ft, D(2026, 12, 5), AppointmentStatus.PLANNED),
        (p2, dept, D(2026, 10, 20), no_show),
        (p2, dept, D(2026, 11, 15), seen),
        (p4, ft, D(2026, 11, 10), AppointmentStatus.EXCUSED),
        (p5, ft, D(2026, 3, 20), seen),
        (p6, dept, D(2026, 4, 10), no_show),
        (p6, dept, D(2026, 5, 20), seen),
        (p6, dept, D(2026, 6, 1), AppointmentStatus.CANCELLED),
    ):
        appointment(pathway, membership, day, status)
    StatusReview.objects.create(
        pathway=p1, person=p1.person, territory=nord, reviewed_on=D(2026, 10, 15), outcome="sans_changement"
    )
    StatusReview.objects.create(
        pathway=p2, person=p2.person, territory=nord, reviewed_on=D(2025, 10, 1), outcome="sans_changement"
    )

    follow_up(p5, care, D(2026, 6, 1), {3: True})  # M+1 left open, covered by M+3
    follow_up(p7, kitchen, D(2026, 1, 10), {1: False})
    follow_up(p4, care, D(2026, 10, 20), {})  # M+1 due on 20/11, within the 15 days' tolerance

    ehpad = CompanyFactory(territory=nord, commune=lille, name="EHPAD Les Tilleuls", created_by=ft)
    tutor = ContactFactory(company=ehpad)
    validated = datetime.datetime(2026, 5, 20, 10, tzinfo=datetime.UTC)
    i1 = immersion(
        p1.person, ehpad, tutor, ft, status=ImmersionStatus.COMPLETED, starts_on=D(2026, 6, 1),
        validated_at=validated, rome_job=care,
    )  # fmt: skip
    i2 = immersion(
        p2.person, ehpad, tutor, ft, status=ImmersionStatus.COMPLETED, starts_on=D(2026, 7, 1),
        validated_at=validated, rome_job=kitchen,
    )  # fmt: skip
    immersion(p3.person, ehpad, tutor, ft, status=ImmersionStatus.CANCELLED, starts_on=D(2026, 8, 1),
              validated_at=validated, rome_job=care)  # fmt: skip
    immersion(p4.person, ehpad, tutor, ft, status=ImmersionStatus.DRAFT, starts_on=D(2026, 12, 10), rome_job=care)
    immersion(p4.person, ehpad, tutor, ft, status=ImmersionStatus.SUBMITTED, starts_on=D(2026, 10, 1),
              rome_job=kitchen)  # fmt: skip
    ImmersionAssessment.objects.create(
        immersion=i1, territory=nord, person=i1.person, outcome="completed", hired=True, contract_type="cdi",
        contract_start=D(2026, 7, 1),
    )  # fmt: skip
    ImmersionAssessment.objects.create(immersion=i2, territory=nord, person=i2.person, outcome="completed", hired=False)

    t1 = TrainingFactory(territory=nord, commune=lille, rome_jobs=[care], starts_on=D(2026, 9, 1),
                         ends_on=D(2026, 12, 1))  # fmt: skip
    t2 = TrainingFactory(territory=nord, commune=lille, rome_jobs=[kitchen], starts_on=D(2026, 10, 1),
                         ends_on=D(2026, 11, 15))  # fmt: skip
    for training, person, status in (
        (t1, p1.person, PositioningStatus.ENTERED),
        (t2, p2.person, PositioningStatus.COMPLETED),
        (t1, p3.person, PositioningStatus.POSITIONED),
    ):
        TrainingPositioning.objects.create(
            training=training, territory=nord, person=person, status=status, positioned_by=ft
        )

    for sent, status, responded, in_window in (
        (D(2026, 10, 1), ContactStatus.ACCEPTED, D(2026, 10, 3), True),
        (D(2026, 10, 5), ContactStatus.REFUSED, D(2026, 10, 25), False),
        (D(2026, 9, 10), ContactStatus.EXPIRED, None, False),
        (D(2026, 11, 20), ContactStatus.PENDING, None, None),
    ):
        ContactRequest.objects.create(
            territory=nord, company=ehpad, contact=tutor, purpose="immersion", message="Bonjour", sender=ft,
            status=status, sent_at=_at(sent), responded_at=_at(responded) if responded else None,
            answered_in_window=in_window,
        )  # fmt: skip

    fresh = make_offer(code_insee="59350")
    stale = make_offer(code_insee="59350")
    Offer.objects.filter(pk=fresh.pk).update(territory=nord, updated_on=D(2026, 6, 1))
    Offer.objects.filter(pk=stale.pk).update(territory=nord, updated_on=D(2025, 10, 1))
    for pathway, sent, status, responded, hours in (
        (p1, D(2026, 8, 1), ReferralStatus.ACCEPTED, D(2026, 8, 3), 48),
        (p2, D(2026, 9, 1), ReferralStatus.REFUSED, D(2026, 9, 6), 120),
        (p3, D(2026, 9, 15), ReferralStatus.EXPIRED, None, None),
        (p4, D(2026, 11, 1), ReferralStatus.SENT, None, None),
        (p5, D(2026, 10, 10), ReferralStatus.STARTED, D(2026, 10, 11), 24),
    ):
        Referral.objects.create(
            territory=nord, person=pathway.person, offer=fresh, sender=ft, message="Bonjour", status=status,
            sent_at=_at(sent), responded_at=_at(responded) if responded else None, response_delay_hours=hours,
        )  # fmt: skip

    BudgetLine.objects.create(territory=nord, year=2021, purpose=BudgetPurpose.TERRITORY_PROJECT, amount=500000)
    BudgetLine.objects.create(territory=nord, year=2022, purpose=BudgetPurpose.TERRITORY_PROJECT, amount=250000)
    BudgetLine.objects.create(
        territory=ardennes, year=2021, purpose=BudgetPurpose.TERRITORY_PROJECT, amount=Decimal(300000)
    )
    pathways = {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "p7": p7}
    case_reviews(nord, pathways, ft, ft_lille, departement_nord)
    joint_events(nord, ft_lille, departement_nord, [ft, dept, coordinator, gestionnaire])
    questionnaires(nord, pathways)
    return pathways


def case_reviews(nord, pathways, ft, ft_lille, departement_nord):
    """Cases proposed 10/08 (examined after 36 days), 01/09 (14 days), 20/09 (waiting) and 20/10
    (examined, but October's cohort is not mature); actions due 01/10 (done 28/09), 15/10 (done
    late), 01/11 (open), 15/12 (not due) and one cancelled."""
    from spie.casereviews.models import CaseAction, ReviewBody, ReviewCase, ReviewSession

    body = ReviewBody.objects.create(territory=nord, kind="equipe_pluridisciplinaire", name="EP de Lille")
    session = ReviewSession.objects.create(body=body, territory=nord, starts_at=_at(D(2026, 9, 15)))
    cases = {}
    for key, referred, discussed in (
        ("p1", D(2026, 8, 10), D(2026, 9, 15)),
        ("p2", D(2026, 9, 1), D(2026, 9, 15)),
        ("p3", D(2026, 9, 20), None),
        ("p4", D(2026, 10, 20), D(2026, 11, 10)),
    ):
        pathway = pathways[key]
        cases[key] = ReviewCase.objects.create(
            territory=nord, person=pathway.person, pathway=pathway, body_kind="equipe_pluridisciplinaire",
            session=session if discussed else None, status="examinee" if discussed else "proposee",
            referred_by=ft, referred_on=referred, question="Quelle suite ?", consent_on=referred,
            discussed_on=discussed,
        )  # fmt: skip
    for case, organisation, due, done, status in (
        (cases["p1"], ft_lille, D(2026, 10, 1), D(2026, 9, 28), "realisee"),
        (cases["p1"], departement_nord, D(2026, 10, 15), D(2026, 10, 20), "realisee"),
        (cases["p2"], ft_lille, D(2026, 11, 1), None, "a_faire"),
        (cases["p2"], ft_lille, D(2026, 12, 15), None, "a_faire"),
        (cases["p2"], ft_lille, D(2026, 10, 10), None, "annulee"),
    ):
        CaseAction.objects.create(
            case=case, territory=nord, title="Action", owner_organisation=organisation, due_on=due, done_on=done,
            status=status,
        )  # fmt: skip


def joint_events(nord, ft_lille, departement_nord, members):
    """Held on 05/10 (2 registered, 1 present, 1 on the waiting list) and 01/06 (1 present);
    one to come and one cancelled."""
    from spie.exchanges.models import EventRegistration, JointEvent

    ft, dept, coordinator, gestionnaire = members
    events = {}
    for key, organiser, day, status in (
        ("octobre", ft_lille, D(2026, 10, 5), "held"),
        ("juin", departement_nord, D(2026, 6, 1), "held"),
        ("decembre", departement_nord, D(2026, 12, 10), "published"),
        ("annule", ft_lille, D(2026, 9, 1), "cancelled"),
    ):
        events[key] = JointEvent.objects.create(
            territory=nord, organiser=organiser, kind="practice_exchange", topic="Échange de pratiques",
            starts_at=_at(day), ends_at=_at(day, 12), place="Lille", capacity=10,
            registration_deadline=_at(day - datetime.timedelta(days=2)), status=status,
        )  # fmt: skip
    for key, membership, status, attended in (
        ("octobre", ft, "registered", True),
        ("octobre", dept, "registered", False),
        ("octobre", coordinator.memberships.get(), "waitlisted", None),
        ("juin", gestionnaire.memberships.get(), "registered", True),
    ):
        EventRegistration.objects.create(
            event=events[key], territory=nord, membership=membership, organisation=membership.organisation,
            status=status, attended=attended,
        )  # fmt: skip


def questionnaires(nord, pathways):
    """After the diagnostic: answered (4) and (3.5), expired, still open; at the exit: answered (5)."""
    from spie.questionnaires.models import QuestionnaireInvitation

    for key, step, sent, answered, score in (
        ("p1", "apres_diagnostic", D(2026, 8, 10), D(2026, 8, 12), Decimal("4.00")),
        ("p2", "apres_diagnostic", D(2026, 8, 20), None, None),
        ("p3", "apres_diagnostic", D(2026, 11, 20), None, None),
        ("p4", "apres_diagnostic", D(2026, 10, 25), D(2026, 10, 26), Decimal("3.50")),
        ("p5", "sortie", D(2026, 10, 2), D(2026, 10, 5), Decimal("5.00")),
    ):
        QuestionnaireInvitation.objects.create(
            territory=nord, person=pathways[key].person, pathway=pathways[key], step=step, version=1,
            channel="email", step_reached_on=sent, sent_at=_at(sent),
            expires_at=_at(sent + datetime.timedelta(days=30)),
            answered_at=_at(answered) if answered else None, score=score,
        )  # fmt: skip
