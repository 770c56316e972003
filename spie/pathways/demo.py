"""Demo orientation decisions and a few reorientation requests, set-based (also used by the bench).
Recent entrants mostly wait in the queue; most people who entered long ago are oriented."""

import datetime
import uuid

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.models import AuditEvent
from spie.diagnostics.enums import DiagnosticStatus
from spie.diagnostics.models import Diagnostic
from spie.people.models import FollowUpMember, Person, active_team_q

from .enums import DecisionStatus, PathwayType, ReorientationStatus
from .models import OrientationDecision, ReorientationRequest

BATCH = 5000
REASONS = [
    "La situation de logement s'est dégradée : un accompagnement social est nécessaire d'abord.",
    "Reprise d'une formation qualifiante : le parcours professionnel est plus adapté.",
    "Problème de santé déclaré qui empêche la reprise immédiate.",
    "La personne a déménagé et souhaite être suivie par une structure plus proche.",
]


def seed_decisions(territory_ids, rng, *, old_share=0.85, recent_share=0.25, recent_days=45):
    """Decisions for people of these territories not yet oriented; returns (decisions, requests)."""
    today = timezone.localdate()
    officers = dict(
        Membership.objects.active()
        .filter(role=Role.CHARGE_ORIENTATION, organisation__territory_id__in=territory_ids)
        .values_list("organisation__territory_id", "pk")
    )
    referent = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), is_referent=True)
    validated = Diagnostic.objects.filter(person=OuterRef("pk"), status=DiagnosticStatus.VALIDATED)
    people = list(
        Person.objects.filter(territory_id__in=territory_ids, oriented_at__isnull=True, anonymised_at__isnull=True)
        .annotate(
            referent_id=Subquery(referent.values("membership_id")[:1]),
            referent_org=Subquery(referent.values("membership__organisation_id")[:1]),
            diagnostic_id=Subquery(validated.values("pk")[:1]),
            proposed=Subquery(validated.values("proposed_pathway")[:1]),
        )
        .filter(referent_id__isnull=False)
        .only("pk", "public_id", "territory_id", "entry_date")
    )
    decisions, oriented, events = [], [], []
    for person in people:
        waited = (today - person.entry_date).days
        if rng.random() >= (old_share if waited > recent_days else recent_share) or waited < 3:
            continue
        notified = person.entry_date + datetime.timedelta(days=rng.randint(3, min(waited, 75)))
        pathway = person.proposed if person.proposed and rng.random() < 0.85 else rng.choice(PathwayType.values)
        decision = OrientationDecision(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            person=person,
            territory_id=person.territory_id,
            pathway_type=pathway,
            referent_organisation_id=person.referent_org,
            referent_id=person.referent_id,
            notified_on=notified,
            diagnostic_id=person.diagnostic_id,
            proposed_pathway=person.proposed or "",
            decided_by_id=officers.get(person.territory_id),
        )
        decisions.append(decision)
        person.oriented_at = timezone.make_aware(datetime.datetime.combine(notified, datetime.time(12)))
        oriented.append(person)
        events.append(
            AuditEvent(
                action="pathways.orientation.decided",
                territory_id=person.territory_id,
                target_type="pathways.orientationdecision",
                target_id=decision.public_id,
                subject_id=person.public_id,
                membership_id=officers.get(person.territory_id),
                data={"pathway_type": pathway, "notified_on": notified.isoformat()},
            )
        )
    OrientationDecision.objects.bulk_create(decisions, batch_size=BATCH)
    Person.objects.bulk_update(oriented, ["oriented_at"], batch_size=BATCH)
    requests = []
    for decision in decisions:
        if rng.random() < 0.03 and decision.notified_on < today - datetime.timedelta(days=20):
            status = rng.choice([ReorientationStatus.PENDING] * 3 + [ReorientationStatus.REFUSED])
            wished = rng.choice([value for value in PathwayType.values if value != decision.pathway_type])
            requests.append(
                ReorientationRequest(
                    person_id=decision.person_id,
                    territory_id=decision.territory_id,
                    decision=decision,
                    requested_by_id=decision.referent_id,
                    reason=rng.choice(REASONS),
                    wished_pathway_type=wished,
                    status=status,
                    decided_by_id=officers.get(decision.territory_id)
                    if status != ReorientationStatus.PENDING
                    else None,
                    decided_at=timezone.now() if status != ReorientationStatus.PENDING else None,
                    decision_reason="Le parcours actuel reste adapté ; à revoir au prochain point de situation."
                    if status != ReorientationStatus.PENDING
                    else "",
                )
            )
    ReorientationRequest.objects.bulk_create(requests, batch_size=BATCH)
    return len(decisions), len(requests)


# --- The shared pathway: realistic histories, set-based (also used by the bench) -------------


def _uuid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _people_rows(territory_ids, only_without_pathway=True):
    """People of these territories with their decision in force (if any) and referent seat."""
    from django.db.models import Exists

    from .models import Pathway

    decision = OrientationDecision.objects.filter(person=OuterRef("pk"), status=DecisionStatus.IN_FORCE)
    referent = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), is_referent=True)
    people = Person.objects.filter(territory_id__in=territory_ids, anonymised_at__isnull=True)
    if only_without_pathway:
        people = people.exclude(Exists(Pathway.objects.filter(person=OuterRef("pk")).exclude(stage="clos")))
    return (
        people.annotate(
            decision_type=Subquery(decision.values("pathway_type")[:1]),
            decision_notified=Subquery(decision.values("notified_on")[:1]),
            decision_referent=Subquery(decision.values("referent_id")[:1]),
            decision_org=Subquery(decision.values("referent_organisation_id")[:1]),
            seat_referent=Subquery(referent.values("membership_id")[:1]),
            seat_org=Subquery(referent.values("membership__organisation_id")[:1]),
        )
        .order_by("pk")
        .values(
            "pk",
            "public_id",
            "territory_id",
            "entry_date",
            "decision_type",
            "decision_notified",
            "decision_referent",
            "decision_org",
            "seat_referent",
            "seat_org",
        )
    )


def _base_pathway(row, rng):
    from .enums import Stage
    from .models import Pathway

    oriented = row["decision_notified"]
    return Pathway(
        public_id=_uuid(rng),
        person_id=row["pk"],
        territory_id=row["territory_id"],
        stage=Stage.ORIENTED if oriented else Stage.ENTRY,
        stage_since=oriented or row["entry_date"],
        pathway_type=row["decision_type"] or "",
        referent_id=row["decision_referent"] or row["seat_referent"],
        referent_organisation_id=row["decision_org"] or row["seat_org"],
        entered_on=row["entry_date"],
        oriented_on=oriented,
    )


def _transition(pathway, from_stage, to_stage, on, reason, closing_reason=""):
    from .models import PathwayTransition

    return PathwayTransition(
        pathway=pathway,
        territory_id=pathway.territory_id,
        from_stage=from_stage,
        to_stage=to_stage,
        on=on,
        reason=reason,
        closing_reason=closing_reason,
        by_id=pathway.referent_id,
        created_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10))),
    )


def open_missing_pathways(territory_ids=None, rng=None):
    """Open a pathway (entrée, or orienté when a decision is in force) for every person without an
    open one; returns how many were opened."""
    import random

    from spie.territories.models import Territory
    from spie.territories.policies import policy_for

    from .dates import apply_due_dates

    rng = rng or random.Random(2026)
    territory_ids = territory_ids or list(Territory.objects.values_list("pk", flat=True))
    policies = {pk: policy_for(pk) for pk in territory_ids}
    opened = 0
    batch = []
    for row in _people_rows(territory_ids).iterator(chunk_size=BATCH):
        pathway = _base_pathway(row, rng)
        apply_due_dates(pathway, policies[pathway.territory_id])
        batch.append(pathway)
        if len(batch) >= BATCH:
            opened += _insert_open(batch)
            batch = []
    opened += _insert_open(batch)
    return opened


def _insert_open(pathways):
    from spie.core import bulk

    from .enums import Stage
    from .models import Pathway, PathwayTransition

    if not pathways:
        return 0
    bulk.insert(Pathway, pathways)
    transitions = []
    for pathway in pathways:
        transitions.append(_transition(pathway, "", Stage.ENTRY, pathway.entered_on, "Entrée dans le dispositif"))
        if pathway.oriented_on:
            transitions.append(_transition(pathway, Stage.ENTRY, Stage.ORIENTED, pathway.oriented_on, "Orientation"))
    bulk.insert(PathwayTransition, transitions)
    return len(pathways)


def sync_referents():
    """Re-align each open pathway's referent (and structure) with the follow-up team's referent."""
    from django.db.models import F, Q

    from .models import Pathway

    referent = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("person_id"), is_referent=True)
    stale = (
        Pathway.objects.exclude(stage="clos")
        .annotate(
            seat=Subquery(referent.values("membership_id")[:1]),
            seat_org=Subquery(referent.values("membership__organisation_id")[:1]),
        )
        .filter(seat__isnull=False)
        .filter(Q(referent_id__isnull=True) | ~Q(referent_id=F("seat")))
    )
    count = 0
    for pk, seat, seat_org in stale.values_list("pk", "seat", "seat_org").iterator(chunk_size=BATCH):
        Pathway.objects.filter(pk=pk).update(referent_id=seat, referent_organisation_id=seat_org)
        count += 1
    return count


SEEN_NOTES = ["", "", "", "Point sur les démarches", "Préparation de l'entretien d'embauche", "Bilan de l'atelier"]
EMPLOYERS = [
    ("Boulangerie Martin", "Vendeur / Vendeuse en alimentation"),
    ("Entrepôt Nord Logistique", "Préparateur / Préparatrice de commandes"),
    ("EHPAD Les Tilleuls", "Agent / Agente de service hospitalier"),
    ("Propreté Services", "Agent / Agente de propreté"),
    ("Mairie", "Agent / Agente d'entretien"),
    ("Garage du Centre", "Mécanicien / Mécanicienne automobile"),
]
REVIEW_COMMENTS = {
    "sans_changement": "",
    "plan_mis_a_jour": "Ajout d'une action de formation après l'atelier CV.",
    "equipe_pluridisciplinaire": "Freins de logement et de santé cumulés : à présenter en équipe pluridisciplinaire.",
    "reorientation_demandee": "Le parcours social paraît plus adapté pour l'instant.",
}


def _siret(rng):
    from spie.core.validators import siret_with_key

    return siret_with_key(f"{rng.randint(100_000_000, 999_999_999)}{rng.randint(1, 9999):04d}")


class _History:
    """Everything generated for one chunk of pathways, inserted together."""

    def __init__(self):
        self.pathways, self.transitions, self.contracts, self.objectives, self.actions = [], [], [], [], []
        self.appointments, self.reviews, self.follow_ups, self.checkpoints, self.events = [], [], [], [], []


def seed_pathways(territory_ids, rng, *, appointments_each=None, with_audit=True, today=None):
    """Pathways with realistic histories for people of these territories who have none: contracts
    (some late, some with an exemption), appointments (seen, no-shows, excused, cancelled, some past
    ones without a status), reviews (some overdue), returns to work with their checkpoints, closings.
    Every alert type occurs. Returns a dict of counts."""
    from spie.referentials.models import Action, Objective, ReferentialVersion, RomeJob
    from spie.territories.models import Territory
    from spie.territories.policies import policy_for

    today = today or timezone.localdate()
    version = ReferentialVersion.objects.current()
    catalogue = {}
    if version is not None:
        actions_by_theme = {}
        for code, theme in Action.objects.filter(version=version).values_list("code", "theme__code"):
            actions_by_theme.setdefault(theme, []).append(code)
        catalogue = {
            code: actions_by_theme.get(theme, [])
            for code, theme in Objective.objects.filter(version=version).values_list("code", "theme__code")
            if actions_by_theme.get(theme)
        }
    jobs = list(RomeJob.objects.values_list("pk", flat=True)[:200])
    context = {
        "today": today,
        "version": version,
        "catalogue": catalogue,
        "objective_codes": sorted(catalogue),
        "jobs": jobs,
        "policies": {pk: policy_for(pk) for pk in territory_ids},
        "zones": dict(Territory.objects.filter(pk__in=territory_ids).values_list("pk", "time_zone")),
        "appointments_each": appointments_each,
        "with_audit": with_audit,
    }
    totals = dict.fromkeys(["pathways", "contracts", "appointments", "reviews", "follow_ups"], 0)
    chunk = []
    for row in _people_rows(territory_ids).iterator(chunk_size=BATCH):
        chunk.append(row)
        if len(chunk) >= 2000:
            _seed_chunk(chunk, rng, context, totals)
            chunk = []
    if chunk:
        _seed_chunk(chunk, rng, context, totals)
    return totals


def _at(day, hour, minute, zone):
    from zoneinfo import ZoneInfo

    return datetime.datetime.combine(day, datetime.time(hour, minute), ZoneInfo(zone))


def _seed_chunk(rows, rng, ctx, totals):
    from spie.core import bulk

    from .dates import apply_due_dates
    from .models import (
        Appointment,
        EmploymentCheckpoint,
        EmploymentFollowUp,
        EngagementContract,
        Pathway,
        PathwayTransition,
        PlanAction,
        PlanObjective,
        StatusReview,
    )

    history = _History()
    plans = []  # (contract, [(objective, [actions])])
    follow_ups = []  # (follow_up, [checkpoints])
    for row in rows:
        pathway = _base_pathway(row, rng)
        history.pathways.append(pathway)
        _history_of(pathway, rng, ctx, history, plans, follow_ups)
        apply_due_dates(pathway, ctx["policies"][pathway.territory_id])
    bulk.insert(Pathway, history.pathways)
    for item in history.transitions + history.contracts + history.appointments + history.reviews:
        item.pathway_id = item.pathway.pk
    for follow_up, _ in follow_ups:
        follow_up.pathway_id = follow_up.pathway.pk
    bulk.insert(PathwayTransition, history.transitions)
    bulk.insert(EngagementContract, history.contracts)
    objectives = []
    for contract, items in plans:
        for objective, _actions in items:
            objective.contract_id = contract.pk
            objectives.append(objective)
    bulk.insert(PlanObjective, objectives)
    actions = []
    for contract, items in plans:
        for objective, objective_actions in items:
            for action in objective_actions:
                action.objective_id, action.contract_id = objective.pk, contract.pk
                actions.append(action)
    bulk.insert(PlanAction, actions)
    bulk.insert(Appointment, history.appointments)
    bulk.insert(StatusReview, history.reviews)
    bulk.insert(EmploymentFollowUp, [follow_up for follow_up, _ in follow_ups])
    checkpoints = []
    for follow_up, items in follow_ups:
        for checkpoint in items:
            checkpoint.follow_up_id, checkpoint.pathway_id = follow_up.pk, follow_up.pathway_id
            checkpoints.append(checkpoint)
    bulk.insert(EmploymentCheckpoint, checkpoints)
    if ctx["with_audit"]:
        AuditEvent.objects.bulk_create(
            _events(history, {row["pk"]: row["public_id"] for row in rows}), batch_size=BATCH
        )
    totals["pathways"] += len(history.pathways)
    totals["contracts"] += len(history.contracts)
    totals["appointments"] += len(history.appointments)
    totals["reviews"] += len(history.reviews)
    totals["follow_ups"] += len(follow_ups)


STAGE_EVENTS = {
    "entree": "pathways.pathway.opened",
    "oriente": "pathways.pathway.oriented",
    "contrat_signe": "pathways.pathway.contract_signed",
    "accompagnement": "pathways.pathway.accompaniment_started",
    "emploi": "pathways.employment.started",
    "clos": "pathways.pathway.closed",
}


def _events(history, subjects):
    """The timeline of the generated histories: one audit event per change of stage and review."""
    events = [
        AuditEvent(
            action=STAGE_EVENTS[item.to_stage],
            territory_id=item.territory_id,
            target_type="pathways.pathway",
            target_id=item.pathway.public_id,
            subject_id=subjects[item.pathway.person_id],
            membership_id=item.by_id,
            data={"from": item.from_stage, "to": item.to_stage, "on": item.on.isoformat()},
        )
        for item in history.transitions
    ]
    events += [
        AuditEvent(
            action="pathways.review.recorded",
            territory_id=item.territory_id,
            target_type="pathways.statusreview",
            target_id=item.public_id,
            subject_id=subjects[item.person_id],
            membership_id=item.by_id,
            data={"outcome": item.outcome, "reviewed_on": item.reviewed_on.isoformat()},
        )
        for item in history.reviews
    ]
    return events


def _history_of(pathway, rng, ctx, history, plans, follow_ups):  # noqa: C901 - one realistic story
    from .dates import add_months, review_period_days
    from .enums import (
        CHECKPOINT_MONTHS,
        AppointmentChannel,
        AppointmentKind,
        AppointmentStatus,
        CheckpointContact,
        ClosingReason,
        ContractStatus,
        EmploymentContractType,
        ExemptionReason,
        FollowUpStatus,
        PlanItemStatus,
        ReviewOutcome,
        Stage,
        WorkingTime,
    )
    from .models import (
        Appointment,
        EmploymentCheckpoint,
        EmploymentFollowUp,
        EngagementContract,
        PlanAction,
        PlanObjective,
        StatusReview,
    )

    today = ctx["today"]
    policy = ctx["policies"][pathway.territory_id]
    zone = ctx["zones"][pathway.territory_id]
    history.transitions.append(_transition(pathway, "", Stage.ENTRY, pathway.entered_on, "Entrée dans le dispositif"))
    if not pathway.oriented_on:
        return
    oriented = pathway.oriented_on
    history.transitions.append(
        _transition(pathway, Stage.ENTRY, Stage.ORIENTED, oriented, f"Orientation : parcours {pathway.pathway_type}")
    )
    age = (today - oriented).days
    # Appointments: a first one soon after the orientation, then every few weeks; some people
    # drop off (no appointment for months), a few past ones are left without a status.
    count = ctx["appointments_each"]
    spacing = max(age + 21, 1) / count if count else None
    stop = today + datetime.timedelta(days=rng.randint(3, 30))
    if count is None and rng.random() < 0.12:
        stop = oriented + datetime.timedelta(days=rng.randint(5, max(6, age // 2)))
    day = oriented + datetime.timedelta(days=rng.randint(2, 12) if not spacing else 1)
    seen_days = []
    generated = 0
    while day <= stop and (count is None or generated < count):
        starts = _at(day, rng.choice((9, 10, 11, 14, 15, 16)), rng.choice((0, 30)), zone)
        past = day < today
        if past:
            roll = rng.random()
            if roll < 0.72:
                status = AppointmentStatus.SEEN
            elif roll < 0.84:
                status = AppointmentStatus.NO_SHOW
            elif roll < 0.91:
                status = AppointmentStatus.EXCUSED
            elif roll < 0.95:
                status = AppointmentStatus.CANCELLED
            else:
                status = AppointmentStatus.PLANNED if (today - day).days < 40 else AppointmentStatus.SEEN
        else:
            status = AppointmentStatus.PLANNED
        appointment = Appointment(
            public_id=_uuid(rng),
            person_id=pathway.person_id,
            pathway=pathway,
            territory_id=pathway.territory_id,
            professional_id=pathway.referent_id,
            starts_at=starts,
            duration_minutes=rng.choice((30, 45, 60)),
            kind=AppointmentKind.FOLLOW_UP if generated else AppointmentKind.DIAGNOSTIC,
            channel=rng.choice(
                [AppointmentChannel.IN_PERSON] * 4 + [AppointmentChannel.PHONE, AppointmentChannel.VIDEO]
            ),
            place="",
            status=status,
            status_note=rng.choice(SEEN_NOTES) if status == AppointmentStatus.SEEN else "",
            status_recorded_at=starts + datetime.timedelta(hours=2) if status != AppointmentStatus.PLANNED else None,
            status_recorded_by_id=pathway.referent_id if status != AppointmentStatus.PLANNED else None,
            created_by_id=pathway.referent_id,
        )
        if appointment.channel == AppointmentChannel.VIDEO:
            appointment.place = "https://webconf.numerique.gouv.fr/spie-" + str(appointment.public_id)[:8]
        history.appointments.append(appointment)
        if status == AppointmentStatus.SEEN:
            seen_days.append(day)
        if status == AppointmentStatus.PLANNED and past:
            pathway.oldest_planned_appointment_on = min(day, pathway.oldest_planned_appointment_on or day)
        elif status == AppointmentStatus.PLANNED:
            pathway.oldest_planned_appointment_on = pathway.oldest_planned_appointment_on or day
        generated += 1
        day += datetime.timedelta(days=max(1, round(spacing)) if spacing else rng.randint(18, 45))
    pathway.last_seen_appointment_on = max(seen_days) if seen_days else None
    # The contract: most signed, some within the month, some late, some not yet (alert).
    signed_on = None
    if ctx["version"] is not None and ctx["objective_codes"] and age >= 8 and rng.random() < 0.78:
        signed_on = oriented + datetime.timedelta(days=rng.randint(5, min(age, 48)))
    if ctx["version"] is not None and ctx["objective_codes"] and (signed_on or rng.random() < 0.5):
        exemption = rng.random() < 0.1
        contract = EngagementContract(
            public_id=_uuid(rng),
            pathway=pathway,
            person_id=pathway.person_id,
            territory_id=pathway.territory_id,
            version=1,
            status=ContractStatus.SIGNED if signed_on else ContractStatus.DRAFT,
            referential_version=ctx["version"],
            due_on=add_months(oriented, policy.contract_due_months),
            exemption_reason=rng.choice(ExemptionReason.values) if exemption else "",
            exemption_detail="Garde d'un enfant de moins de trois ans sans solution d'accueil." if exemption else "",
            person_signed_on=signed_on,
            referent_signed_on=signed_on,
            signed_by_id=pathway.referent_id if signed_on else None,
            signed_at=_at(signed_on, 11, 0, zone) if signed_on else None,
            created_by_id=pathway.referent_id,
        )
        items, total = [], 0
        for position, code in enumerate(rng.sample(ctx["objective_codes"], k=min(2, len(ctx["objective_codes"]))), 1):
            objective = PlanObjective(
                public_id=_uuid(rng),
                territory_id=pathway.territory_id,
                objective_code=code,
                referential_version=ctx["version"],
                position=position,
            )
            actions = []
            for index, action_code in enumerate(
                rng.sample(ctx["catalogue"][code], k=min(2, len(ctx["catalogue"][code]))), 1
            ):
                hours = rng.choice((2, 3, 4, 6, 8, 10)) if exemption else rng.choice((4, 6, 8, 10))
                status = PlanItemStatus.PLANNED
                if signed_on:
                    status = rng.choice(
                        [PlanItemStatus.IN_PROGRESS] * 3 + [PlanItemStatus.DONE, PlanItemStatus.PLANNED]
                    )
                actions.append(
                    PlanAction(
                        public_id=_uuid(rng),
                        territory_id=pathway.territory_id,
                        action_code=action_code,
                        referential_version=ctx["version"],
                        status=status,
                        starts_on=(signed_on or oriented) + datetime.timedelta(days=7 * index),
                        weekly_hours=hours,
                        position=index,
                    )
                )
                if status in (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS):
                    total += hours
            if not exemption and total < 15 and actions:
                actions[-1].weekly_hours += 15 - total
                total = 15
            items.append((objective, actions))
        contract.weekly_hours = total
        history.contracts.append(contract)
        plans.append((contract, items))
    if signed_on:
        pathway.contract_signed_on = signed_on
        pathway.stage, pathway.stage_since = Stage.CONTRACT_SIGNED, signed_on
        history.transitions.append(
            _transition(pathway, Stage.ORIENTED, Stage.CONTRACT_SIGNED, signed_on, "Contrat d'engagement signé")
        )
        after = [d for d in seen_days if d > signed_on]
        if after:
            pathway.stage, pathway.stage_since = Stage.ACCOMPANIMENT, after[0]
            history.transitions.append(
                _transition(pathway, Stage.CONTRACT_SIGNED, Stage.ACCOMPANIMENT, after[0], "Premier rendez-vous honoré")
            )
    # Points de situation: on time for most, late for some.
    period = review_period_days(policy, pathway.pathway_type)
    if age > period and rng.random() < 0.8:
        review_day = oriented + datetime.timedelta(days=period - rng.randint(0, 10))
        while review_day < today:
            outcome = rng.choice(
                [ReviewOutcome.NO_CHANGE] * 4 + [ReviewOutcome.PLAN_UPDATED] * 2 + [ReviewOutcome.CASE_REVIEW]
            )
            history.reviews.append(
                StatusReview(
                    public_id=_uuid(rng),
                    pathway=pathway,
                    person_id=pathway.person_id,
                    territory_id=pathway.territory_id,
                    reviewed_on=review_day,
                    outcome=outcome,
                    comment=REVIEW_COMMENTS.get(outcome, ""),
                    next_due_on=review_day + datetime.timedelta(days=period),
                    by_id=pathway.referent_id,
                )
            )
            pathway.last_review_on = review_day
            review_day += datetime.timedelta(days=period + rng.randint(-5, 25))
    # Return to work for some people in accompaniment, with checkpoints at M+1, M+3, M+6.
    if pathway.stage == Stage.ACCOMPANIMENT and ctx["jobs"] and rng.random() < 0.22:
        start = max(
            pathway.stage_since + datetime.timedelta(days=7), today - datetime.timedelta(days=rng.randint(5, 220))
        )
        if start < today:
            contract_type = rng.choice(EmploymentContractType.values)
            employer, _label = rng.choice(EMPLOYERS)
            follow_up = EmploymentFollowUp(
                public_id=_uuid(rng),
                pathway=pathway,
                person_id=pathway.person_id,
                territory_id=pathway.territory_id,
                employer_name=employer,
                employer_siret=_siret(rng),
                rome_job_id=rng.choice(ctx["jobs"]),
                contract_type=contract_type,
                working_time=rng.choice(WorkingTime.values),
                weekly_hours=rng.choice((20, 24, 28, 35)),
                start_date=start,
                is_durable=contract_type in ("cdi", "cdd_6_mois_plus", "interim_6_mois_plus", "creation_entreprise"),
                recorded_by_id=pathway.referent_id,
            )
            pathway.stage, pathway.stage_since = Stage.EMPLOYMENT, start
            history.transitions.append(
                _transition(pathway, Stage.ACCOMPANIMENT, Stage.EMPLOYMENT, start, "Reprise d'emploi")
            )
            checkpoints, pending = [], None
            for months in CHECKPOINT_MONTHS:
                due = add_months(start, months)
                checkpoint = EmploymentCheckpoint(
                    public_id=_uuid(rng), territory_id=pathway.territory_id, months=months, due_on=due
                )
                if due + datetime.timedelta(days=3) < today and rng.random() < 0.8 and pending is None:
                    checkpoint.recorded_on = due + datetime.timedelta(days=rng.randint(0, 3))
                    checkpoint.contact = CheckpointContact.REACHED
                    checkpoint.still_in_job = True
                    checkpoint.recorded_by_id = pathway.referent_id
                elif pending is None:
                    pending = due
                checkpoints.append(checkpoint)
            if pending is None:  # the M+6 checkpoint is done: the follow-up ends and the pathway closes
                end = checkpoints[-1].recorded_on
                follow_up.status, follow_up.ended_on, follow_up.still_in_job_at_end = FollowUpStatus.ENDED, end, True
                reason = ClosingReason.DURABLE_JOB if follow_up.is_durable else ClosingReason.NON_DURABLE_JOB
                _close(pathway, history, end, reason)
            else:
                pathway.next_checkpoint_on = pending
            follow_ups.append((follow_up, checkpoints))
    if pathway.stage != Stage.CLOSED and rng.random() < 0.04 and age > 120:
        _close(
            pathway,
            history,
            today - datetime.timedelta(days=rng.randint(1, 30)),
            rng.choice(
                [
                    ClosingReason.MOVED_AWAY,
                    ClosingReason.END_OF_RIGHTS,
                    ClosingReason.LOST_CONTACT,
                    ClosingReason.TRAINING,
                ]
            ),
        )


def _close(pathway, history, on, reason):
    from .enums import AppointmentStatus, ClosingReason, Stage

    on = max(on, pathway.stage_since)
    history.transitions.append(
        _transition(pathway, pathway.stage, Stage.CLOSED, on, ClosingReason(reason).label, closing_reason=reason)
    )
    pathway.stage, pathway.stage_since, pathway.closed_on, pathway.closing_reason = Stage.CLOSED, on, on, reason
    pathway.oldest_planned_appointment_on, pathway.next_checkpoint_on = None, None
    for appointment in history.appointments:
        if appointment.pathway is pathway and appointment.status == AppointmentStatus.PLANNED:
            appointment.status, appointment.status_note = AppointmentStatus.CANCELLED, "Parcours clos"


def seed(context):
    territory_ids = list(Person.objects.values_list("territory_id", flat=True).distinct())
    decisions, requests = seed_decisions(territory_ids, context.rng)
    in_force = OrientationDecision.objects.filter(status=DecisionStatus.IN_FORCE).count()
    waiting = Person.objects.filter(oriented_at__isnull=True, anonymised_at__isnull=True).count()
    totals = seed_pathways(territory_ids, context.rng)
    return (
        f"{decisions} décisions d'orientation ({in_force} en vigueur), {requests} demandes de réorientation, "
        f"{waiting} personnes en attente d'orientation ; {totals['pathways']} parcours, "
        f"{totals['contracts']} contrats d'engagement, {totals['appointments']} rendez-vous, "
        f"{totals['reviews']} points de situation, {totals['follow_ups']} reprises d'emploi suivies"
    )
