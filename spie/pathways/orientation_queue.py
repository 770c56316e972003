"""The orientation queue: people of the territory who entered and have no orientation yet."""

import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from spie.diagnostics.enums import DiagnosticStatus
from spie.diagnostics.models import Diagnostic
from spie.people.models import FollowUpMember, Person, active_team_q

QUEUE_SORTS = {"attente": "entry_date", "nom": "search_birth_name", "commune": "commune__name"}


def _referent(field):
    seats = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), is_referent=True)
    return Subquery(seats.values(field)[:1])


def awaiting_orientation(territory_id):
    """People of the territory with no orientation notified, with their referent's structure and
    the proposal of their latest validated diagnostic (subqueries: bounded query count).
    Backed by the partial index `person_orientation_queue_idx` (territory, entry date)."""
    validated = Diagnostic.objects.filter(person=OuterRef("pk"), status=DiagnosticStatus.VALIDATED)
    return (
        Person.objects.filter(territory_id=territory_id, anonymised_at__isnull=True, oriented_at__isnull=True)
        .select_related("commune")
        .annotate(
            referent_organisation_id=_referent("membership__organisation__public_id"),
            referent_organisation_name=_referent("membership__organisation__name"),
            has_diagnostic=Exists(validated),
            proposed_pathway=Subquery(validated.order_by("-validated_at").values("proposed_pathway")[:1]),
        )
    )


def filter_queue(people, data, *, target_days, today=None):
    today = today or timezone.localdate()
    if data.get("structure"):
        people = people.filter(referent_organisation_id=data["structure"])
    if data.get("commune"):
        people = people.filter(commune=data["commune"])
    if data.get("late"):
        people = people.filter(entry_date__lt=today - datetime.timedelta(days=target_days))
    if data.get("diagnostic") == "oui":
        people = people.filter(has_diagnostic=True)
    elif data.get("diagnostic") == "non":
        people = people.filter(has_diagnostic=False)
    if data.get("proposed"):
        people = people.filter(proposed_pathway=data["proposed"])
    return people


def waiting_days(person, today=None):
    return ((today or timezone.localdate()) - person.entry_date).days
