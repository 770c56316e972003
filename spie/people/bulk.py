"""Bulk assignment of referents and hand-over of a departing professional's caseload.

Set-based: whatever the number of people, a fixed number of queries (one update to step the
previous referents down, one to promote seats already in the team, one bulk insert of new seats,
bulk inserts of the audit events and access-log rows, one update of the activity dates). Each
person still gets their own audit event (in their file's timeline) and access-log row, and each
new referent gets one e-mail for the whole operation, not one per person.
"""

import heapq
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.accounts.perms import can_manage_members
from spie.core.errors import DomainError
from spie.core.models import AuditEvent

from .enums import AccessKind, JoinRequestStatus, TeamEndReason
from .models import AccessLog, FollowUpMember, JoinRequest, Person, active_team_q
from .services import SELF_REFERENT_MESSAGE, is_self, notify_previous_referents, request_to_join

BATCH = 2000
ASSIGNING_ROLES = (Role.COORDINATEUR, Role.CHARGE_ORIENTATION)


# --- Who may do it -------------------------------------------------------------------------------


def can_bulk_assign(membership):
    """Attribuer un référent à plusieurs personnes à la fois : le ou la coordinateur·rice SPIE et
    les chargé·es d'orientation d'un territoire (qui répartissent les personnes entre les
    professionnels), pour les personnes de leur territoire uniquement."""
    return (
        membership is not None
        and membership.organisation.territory_id is not None
        and membership.role in ASSIGNING_ROLES
    )


def can_hand_over_caseload(membership, departing):
    """Confier à des collègues toutes les personnes dont un professionnel est référent (départ,
    longue absence) : le gestionnaire de sa structure, ou le ou la coordinateur·rice ou un·e
    chargé·e d'orientation de son territoire. Jamais d'un territoire à l'autre."""
    if membership is None or departing.organisation.territory_id is None:
        return False
    same_territory = membership.organisation.territory_id == departing.organisation.territory_id
    if membership.role in ASSIGNING_ROLES:
        return same_territory
    return (
        membership.role == Role.GESTIONNAIRE
        and same_territory
        and can_manage_members(membership, departing.organisation)
    )


# --- Scopes --------------------------------------------------------------------------------------


def assignable_people(membership):
    """The people whose referent this membership may set in bulk: those of its territory."""
    if not can_bulk_assign(membership):
        return Person.objects.none()
    return Person.objects.in_territory_of(membership)


def eligible_referents(territory_id, *, exclude=None):
    """Active professionals of the territory who may be referent (national administrators never)."""
    memberships = (
        Membership.objects.active()
        .filter(organisation__territory_id=territory_id)
        .exclude(role=Role.ADMIN_NATIONAL)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )
    if exclude is not None:
        memberships = memberships.exclude(pk=exclude.pk)
    return memberships


def referent_caseload(membership):
    """The people of whom this membership is the active referent."""
    return Person.objects.filter(
        anonymised_at__isnull=True,
        pk__in=FollowUpMember.objects.filter(active_team_q(), membership=membership, is_referent=True).values(
            "person_id"
        ),
    )


def before_deactivation(membership):
    """People's part of the deactivation check (see spie.accounts.deactivation)."""
    from spie.accounts.deactivation import HandOver

    count = referent_caseload(membership).count()
    if not count:
        return []
    url = reverse("people:bulk_hand_over", args=[membership.public_id])
    next_url = reverse("accounts:member_deactivate", args=[membership.public_id])
    return [
        HandOver(
            label=f"référent·e de {count} personne{'s' if count > 1 else ''}",
            count=count,
            url=f"{url}?suite={next_url}",
            action="Confier ces personnes à des collègues",
        )
    ]


# --- The set-based write -------------------------------------------------------------------------


@dataclass
class BulkResult:
    operation: str
    changed: int = 0
    unchanged: int = 0
    by_referent: dict = field(default_factory=dict)  # membership -> number of people
    previous_referents: dict = field(default_factory=dict)  # membership -> number of people
    left_teams: int = 0
    requested: int = 0  # join requests sent (the author chose themself: they ask, never self-grant)


def _check_targets(targets, territory_id):
    for target in targets:
        if (
            not target.is_active
            or not target.user.is_active
            or not target.organisation.is_active
            or target.organisation.territory_id != territory_id
            or target.role == Role.ADMIN_NATIONAL
        ):
            raise DomainError(
                f"{target.user.get_full_name()} ne peut pas être référent·e dans ce territoire.", field="referent"
            )


def _assign(pairs, *, by, territory_id, what, leaving=None, end_reason=TeamEndReason.HANDED_OVER):
    """Make each (person, membership) pair's membership the person's referent, in a fixed number
    of queries; with `leaving`, that membership also leaves these people's teams."""
    operation = str(uuid.uuid4())
    now, today = timezone.now(), timezone.localdate()
    person_ids = [person.pk for person, _ in pairs]
    seated, referent_of = {}, {}
    for pk, public_id, person_id, membership_id, is_referent in FollowUpMember.objects.filter(
        active_team_q(), person_id__in=person_ids
    ).values_list("pk", "public_id", "person_id", "membership_id", "is_referent"):
        seated[(person_id, membership_id)] = (pk, public_id)
        if is_referent:
            referent_of[person_id] = membership_id
    changed = [(person, target) for person, target in pairs if referent_of.get(person.pk) != target.pk]
    result = BulkResult(operation=operation, unchanged=len(pairs) - len(changed), changed=len(changed))
    if not changed:
        return result, []
    changed_ids = [person.pk for person, _ in changed]
    FollowUpMember.objects.filter(active_team_q(), person_id__in=changed_ids, is_referent=True).update(
        is_referent=False, updated_at=now
    )
    promoted = [seated[(p.pk, t.pk)] for p, t in changed if (p.pk, t.pk) in seated]
    FollowUpMember.objects.filter(pk__in=[pk for pk, _ in promoted]).update(is_referent=True, updated_at=now)
    new_seats = {
        person.pk: FollowUpMember(person=person, territory_id=person.territory_id, membership=target, is_referent=True)
        for person, target in changed
        if (person.pk, target.pk) not in seated
    }
    FollowUpMember.objects.bulk_create(new_seats.values(), batch_size=BATCH)
    left = []
    if leaving is not None:
        left = [seated[(person.pk, leaving.pk)] for person, _ in changed if (person.pk, leaving.pk) in seated]
        FollowUpMember.objects.filter(pk__in=[pk for pk, _ in left]).update(
            ended_on=today, end_reason=end_reason, is_referent=False, updated_at=now
        )
    left_by_person = {}
    if leaving is not None:
        left_by_person = {
            person.pk: seated[(person.pk, leaving.pk)][1] for person, _ in changed if (person.pk, leaving.pk) in seated
        }
    events, logs = [], []
    for person, target in changed:
        seat_id = new_seats[person.pk].public_id if person.pk in new_seats else seated[(person.pk, target.pk)][1]
        data = {"seat": str(seat_id), "operation": operation}
        if person.pk in new_seats:
            events.append(_event(by, person, "people.team_member.added", "people.followupmember", seat_id, data))
        events.append(_event(by, person, "people.referent.changed", "people.person", person.public_id, data))
        if person.pk in left_by_person:
            left_id = left_by_person[person.pk]
            events.append(
                _event(
                    by,
                    person,
                    "people.team_member.left",
                    "people.followupmember",
                    left_id,
                    {"seat": str(left_id), "reason": end_reason, "operation": operation},
                )
            )
        logs.append(
            AccessLog(
                person=person,
                territory_id=person.territory_id,
                user=getattr(by, "user", None),
                organisation=by.organisation if by is not None else None,
                kind=AccessKind.WRITE,
                what=what,
                at=now,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    AccessLog.objects.bulk_create(logs, batch_size=BATCH)
    Person.objects.filter(pk__in=changed_ids).update(last_activity_at=now, purge_warned_at=None)
    by_referent = defaultdict(int)
    for _, target in changed:
        by_referent[target] += 1
    result.by_referent = dict(by_referent)
    result.left_teams = len(left)
    previous_counts = defaultdict(int)
    for person, target in changed:
        if person.pk in referent_of and referent_of[person.pk] != target.pk:
            previous_counts[referent_of[person.pk]] += 1
    if previous_counts:
        previous = Membership.objects.select_related("user").in_bulk(previous_counts.keys())
        result.previous_referents = {previous[pk]: count for pk, count in previous_counts.items()}
    return result, changed


def _event(by, person, action, target_type, target_id, data):
    return AuditEvent(
        actor=getattr(by, "user", None),
        membership=getattr(by, "membership", None),
        api_token=getattr(by, "api_token", None),
        territory_id=person.territory_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_id=person.public_id,
        data=data,
    )


def _notify_referents(by_referent, *, by, reason):
    """One e-mail per new referent, whatever the number of people entrusted to them."""
    author = getattr(getattr(by, "user", None), "get_full_name", lambda: "")() or "La coordination SPIE"
    link = settings.SITE_URL + reverse("people:caseload")
    messages = []
    for membership, count in by_referent.items():
        body = render_to_string(
            "people/bulk_notification.txt",
            {"membership": membership, "count": count, "author": author, "reason": reason, "link": link},
        )
        subject = (
            f"Plateforme SPIE : {count} personnes vous sont confiées"
            if count > 1
            else "Plateforme SPIE : une personne vous est confiée"
        )
        messages.append((subject, body, membership.user.email))

    def send():
        for subject, body, email in messages:
            send_mail(subject, body, None, [email])

    transaction.on_commit(send)


def _notify_previous_referents(result, *, by):
    if result.previous_referents:
        notify_previous_referents(result.previous_referents, by=by, link=reverse("people:caseload"))


@transaction.atomic
def assign_referent_bulk(*, people, membership, by):
    """Make `membership` the referent of every person of `people` (already scoped by the caller);
    previous referents stay in the teams as members. One e-mail to the new referent, one to each
    previous referent. An author who chooses themself does not become referent: a join request
    (to become referent) is sent for each person instead, decided by their referent or an
    orientation officer."""
    people = list(people)
    if not people:
        raise DomainError("Cochez au moins une personne.", field="personnes")
    territory_id = people[0].territory_id
    if any(person.territory_id != territory_id for person in people):
        raise DomainError("Les personnes choisies doivent être du même territoire.")
    _check_targets([membership], territory_id)
    if is_self(by, membership):
        return _request_referent_role(people, by=by)
    result, _ = _assign(
        [(person, membership) for person in people], by=by, territory_id=territory_id, what="Désignation du référent"
    )
    if result.by_referent:
        _notify_referents(result.by_referent, by=by, reason="assign")
    _notify_previous_referents(result, by=by)
    return result


def _request_referent_role(people, *, by):
    """One join request to become referent per person (none where the author already is referent
    or already waits for an answer)."""
    result = BulkResult(operation=str(uuid.uuid4()))
    person_ids = [person.pk for person in people]
    already = set(
        FollowUpMember.objects.filter(
            active_team_q(), person_id__in=person_ids, membership=by.membership, is_referent=True
        ).values_list("person_id", flat=True)
    ) | set(
        JoinRequest.objects.filter(
            person_id__in=person_ids, membership=by.membership, status=JoinRequestStatus.PENDING
        ).values_list("person_id", flat=True)
    )
    for person in people:
        if person.pk in already:
            result.unchanged += 1
            continue
        request_to_join(
            person=person,
            message="Demande pour devenir référent·e, faite depuis l'attribution groupée.",
            by=by,
            as_referent=True,
        )
        result.requested += 1
    return result


def spread(people, targets, current_loads):
    """Share `people` among `targets`, each next person going to the least loaded colleague
    (counting the people they are already referent of); ties go in the given order."""
    heap = [(current_loads.get(target.pk, 0), index, target) for index, target in enumerate(targets)]
    heapq.heapify(heap)
    pairs = []
    for person in people:
        load, index, target = heapq.heappop(heap)
        pairs.append((person, target))
        heapq.heappush(heap, (load + 1, index, target))
    return pairs


@transaction.atomic
def hand_over_caseload(*, departing, to_memberships, by, leave_all_teams=False):
    """Entrust every person of whom `departing` is referent to the chosen colleagues, spread to
    balance their caseloads; `departing` leaves these teams (and, with `leave_all_teams`, every
    other team too). One e-mail per colleague who receives people."""
    targets = [target for target in to_memberships if target.pk != departing.pk]
    if not targets:
        raise DomainError("Choisissez au moins un collègue qui reprendra le suivi.", field="collegues")
    territory_id = departing.organisation.territory_id
    _check_targets(targets, territory_id)
    if any(is_self(by, target) for target in targets):
        raise DomainError(SELF_REFERENT_MESSAGE, field="collegues")
    people = list(referent_caseload(departing).order_by("search_birth_name", "search_first_name", "pk"))
    loads = dict(
        FollowUpMember.objects.filter(active_team_q(), membership__in=targets, is_referent=True)
        .values_list("membership_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result, _ = _assign(
        spread(people, targets, loads),
        by=by,
        territory_id=territory_id,
        what="Passation du suivi",
        leaving=departing,
        end_reason=TeamEndReason.PROFESSIONAL_LEFT if leave_all_teams else TeamEndReason.HANDED_OVER,
    )
    if leave_all_teams:
        result.left_teams += _leave_other_teams(departing, by=by, operation=result.operation)
    if result.by_referent:
        _notify_referents(result.by_referent, by=by, reason="hand_over")
    _notify_previous_referents(result, by=by)
    return result


def _leave_other_teams(departing, *, by, operation):
    """End the departing professional's remaining (non-referent) seats, audited per person."""
    now, today = timezone.now(), timezone.localdate()
    seats = list(
        FollowUpMember.objects.filter(active_team_q(), membership=departing, is_referent=False).select_related("person")
    )
    FollowUpMember.objects.filter(pk__in=[seat.pk for seat in seats]).update(
        ended_on=today, end_reason=TeamEndReason.PROFESSIONAL_LEFT, updated_at=now
    )
    data = {"reason": TeamEndReason.PROFESSIONAL_LEFT, "operation": operation}
    AuditEvent.objects.bulk_create(
        (
            _event(
                by,
                seat.person,
                "people.team_member.left",
                "people.followupmember",
                seat.public_id,
                {"seat": str(seat.public_id), **data},
            )
            for seat in seats
        ),
        batch_size=BATCH,
    )
    AccessLog.objects.bulk_create(
        (
            AccessLog(
                person_id=seat.person_id,
                territory_id=seat.territory_id,
                user=getattr(by, "user", None),
                organisation=by.organisation if by is not None else None,
                kind=AccessKind.WRITE,
                what="Sortie de l'équipe de suivi",
                at=now,
            )
            for seat in seats
        ),
        batch_size=BATCH,
    )
    Person.objects.filter(pk__in=[seat.person_id for seat in seats]).update(last_activity_at=now)
    return len(seats)
