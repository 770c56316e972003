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


def seed(context):
    territory_ids = list(Person.objects.values_list("territory_id", flat=True).distinct())
    decisions, requests = seed_decisions(territory_ids, context.rng)
    in_force = OrientationDecision.objects.filter(status=DecisionStatus.IN_FORCE).count()
    waiting = Person.objects.filter(oriented_at__isnull=True, anonymised_at__isnull=True).count()
    return (
        f"{decisions} décisions d'orientation ({in_force} en vigueur), {requests} demandes de réorientation, "
        f"{waiting} personnes en attente d'orientation"
    )
