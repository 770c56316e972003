"""Read models of the case reviews: candidate cases the platform spots, and the cases of a
session as one reader may see them (each read logged like a file read)."""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.utils import timezone

from spie.accounts.actors import Actor
from spie.diagnostics.enums import BarrierLevel, DiagnosticStatus
from spie.diagnostics.models import DiagnosticSituation
from spie.pathways.enums import OPEN_STAGES, AppointmentStatus
from spie.pathways.models import Appointment, Pathway
from spie.people.enums import AccessKind
from spie.people.models import load_active_teams
from spie.people.services import log_access

from .enums import Form
from .models import CandidateInvitation, ReviewCase
from .perms import case_form
from .pseudonym import presentation

NO_SHOW_WINDOW_DAYS = 180
NO_SHOWS = 2
STRONG_BARRIERS = 3


def _no_shows(territory_id, today):
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=NO_SHOW_WINDOW_DAYS), datetime.time())
    )
    return (
        Appointment.objects.filter(territory_id=territory_id, status=AppointmentStatus.NO_SHOW, starts_at__gte=since)
        .values("pathway_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=NO_SHOWS)
    )


def _barriers(territory_id):
    return (
        DiagnosticSituation.objects.filter(
            diagnostic__territory_id=territory_id,
            diagnostic__status=DiagnosticStatus.VALIDATED,
            level=BarrierLevel.STRONG,
        )
        .values("diagnostic__person_id")
        .annotate(n=Count("situation_code", distinct=True))
        .filter(n__gte=STRONG_BARRIERS)
    )


REASONS = {
    "arret": "Parcours à l'arrêt depuis longtemps",
    "freins": "Plusieurs freins forts",
    "absences": "Absences non excusées répétées",
    "contrat": "Contrat non signé dans le délai",
}


def candidates(territory_id, today, reason=""):
    """Open pathways that may need a case review: in the same stage for longer than its target or
    without a seen appointment for long (stalled), several strong barriers, repeated no-shows, or
    contract overdue (`reason`: only one of them); people with a case already open are left out."""
    conditions = {
        "arret": Q(stage_due_on__lt=today) | Q(seen_due_on__lt=today),
        "freins": Q(person_id__in=_barriers(territory_id).values("diagnostic__person_id")),
        "absences": Q(pk__in=_no_shows(territory_id, today).values("pathway_id")),
        "contrat": Q(contract_due_on__lt=today),
    }
    condition = conditions.get(reason) or reduce(or_, conditions.values())
    open_cases = ReviewCase.objects.open().filter(territory_id=territory_id).values("person_id")
    return (
        Pathway.objects.filter(territory_id=territory_id, stage__in=OPEN_STAGES)
        .filter(condition)
        .exclude(person_id__in=open_cases)
        .select_related("person", "referent__user", "referent_organisation")
        .order_by("stage_since", "pk")
    )


def decorate_candidates(items, territory_id, today):
    """The reasons of each candidate of a page, and the last invitation (three queries)."""
    ids = [item.pk for item in items]
    people = [item.person_id for item in items]
    no_shows = dict(_no_shows(territory_id, today).filter(pathway_id__in=ids).values_list("pathway_id", "n"))
    barriers = dict(
        _barriers(territory_id).filter(diagnostic__person_id__in=people).values_list("diagnostic__person_id", "n")
    )
    invited = {}
    for person_id, day in CandidateInvitation.objects.filter(person_id__in=people).values_list(
        "person_id", "invited_on"
    ):
        invited[person_id] = max(day, invited.get(person_id, day))
    for item in items:
        reasons = []
        if (item.stage_due_on and item.stage_due_on < today) or (item.seen_due_on and item.seen_due_on < today):
            reasons.append("Parcours à l'arrêt depuis longtemps")
        if item.person_id in barriers:
            reasons.append(f"{barriers[item.person_id]} freins forts")
        if item.pk in no_shows:
            reasons.append(f"{no_shows[item.pk]} absences non excusées")
        if item.contract_due_on and item.contract_due_on < today:
            reasons.append("Contrat non signé dans le délai")
        item.reasons = reasons
        item.invited_on = invited.get(item.person_id)
    return items


def shown_cases(request, cases, today=None):
    """[(case, presentation)] of the cases this reader may see, each read logged in the person's
    access log (named or pseudonymised)."""
    membership = request.membership
    actor = Actor.from_request(request)
    if len(cases) > 1:
        load_active_teams([case.person for case in cases])
    shown = []
    for case in cases:
        form = case_form(membership, case, today)
        if form is None:
            continue
        log_access(
            person=case.person,
            by=actor,
            kind=AccessKind.READ,
            what="Instance : situation" + (" (forme pseudonymisée)" if form == Form.PSEUDONYMISED else ""),
        )
        shown.append((case, presentation(case, form, today)))
    return shown


def session_cases(session):
    return (
        session.cases.exclude(status="retiree")
        .select_related("person__territory", "person__commune__epci", "person__commune__departement")
        .select_related("referred_by__organisation", "pathway")
        .prefetch_related("decisions", "actions__owner_organisation", "actions__owner_membership__user")
        .order_by("referred_on", "pk")
    )
