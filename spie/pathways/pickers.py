"""Choices of the decision form: structures and professionals with their current caseload
(active referent seats), two aggregate queries whatever the territory's size."""

from django.db.models import Count, Q
from django.utils import timezone

from spie.accounts.models import Organisation
from spie.people.models import FollowUpMember

from .services_orientation import eligible_referents


def structures(territory_id):
    """Active structures of the territory that have professionals who may be named referent."""
    return Organisation.objects.filter(
        territory_id=territory_id, is_active=True, pk__in=eligible_referents(territory_id).values("organisation_id")
    ).order_by("name")


def structure_filter_choices(territory_id):
    return [(str(public_id), name) for public_id, name in structures(territory_id).values_list("public_id", "name")]


def structure_choices(territory_id):
    """Structures with their caseload, for the decision form."""
    counts = dict(
        FollowUpMember.objects.active()
        .filter(territory_id=territory_id, is_referent=True)
        .values_list("membership__organisation_id")
        .annotate(count=Count("id"))
        .values_list("membership__organisation_id", "count")
    )
    organisations = structures(territory_id)
    return [
        (str(organisation.public_id), f"{organisation.name} ({counts.get(organisation.pk, 0)})")
        for organisation in organisations.only("pk", "public_id", "name")
    ]


def referent_choices(territory_id, organisation_public_id):
    if not organisation_public_id:
        return []
    today_active = Q(follow_ups__ended_on__isnull=True) | Q(follow_ups__ended_on__gt=timezone.localdate())
    members = (
        eligible_referents(territory_id)
        .filter(organisation__public_id=organisation_public_id)
        .select_related("user")
        .annotate(caseload=Count("follow_ups", filter=Q(follow_ups__is_referent=True) & today_active))
        .order_by("user__last_name", "user__first_name")
    )
    return [(str(m.public_id), f"{m.user.get_full_name()} ({m.caseload})") for m in members]
