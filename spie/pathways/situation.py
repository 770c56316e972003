"""The point de situation: open pathways of a scope (caseload, structure, territory), their
alert counts and the people sorted by urgency. A fixed number of queries whatever the size."""

from spie.accounts.models import Membership
from spie.people.models import FollowUpMember, active_team_q

from . import alerts
from .enums import OPEN_STAGES
from .models import Pathway


def scoped_pathways(membership, scope):
    """Open pathways the membership steers: its caseload, its structure's, or the territory's."""
    pathways = Pathway.objects.filter(territory_id=membership.organisation.territory_id, stage__in=OPEN_STAGES)
    if scope == "territoire":
        return pathways
    # The people followed are read first (one indexed query on the team), so that the pathways
    # are then fetched by person (index) rather than by scanning the territory.
    seats = FollowUpMember.objects.filter(active_team_q(), territory_id=membership.organisation.territory_id)
    if scope == "structure":
        seats = seats.filter(membership__organisation_id=membership.organisation_id)
    else:
        seats = seats.filter(membership=membership)
    return pathways.filter(person_id__in=sorted(set(seats.values_list("person_id", flat=True))))


def apply_filters(pathways, data):
    if data.get("referent"):
        pathways = pathways.filter(referent__public_id=data["referent"])
    if data.get("structure"):
        pathways = pathways.filter(referent_organisation__public_id=data["structure"])
    if data.get("type_parcours"):
        pathways = pathways.filter(pathway_type=data["type_parcours"])
    return pathways


def rows(pathways, today, alert_type="", sizes=None):
    """The pathways with an alert (of `alert_type` if given), by urgency. `sizes`: the number of
    pathways per severity when already counted (`alerts.counts`)."""
    listed = alerts.filter_type(pathways, alert_type, today) if alert_type else pathways
    return alerts.by_urgency(
        listed, today, select_related=("person", "referent__user", "referent_organisation"), sizes=sizes
    )


def referent_choices(membership, scope):
    if scope == "caseload":
        return []
    members = Membership.objects.active().select_related("user")
    if scope == "structure":
        members = members.filter(organisation_id=membership.organisation_id)
    else:
        members = members.filter(
            organisation__territory_id=membership.organisation.territory_id,
            pk__in=Pathway.objects.filter(
                territory_id=membership.organisation.territory_id, stage__in=OPEN_STAGES
            ).values("referent_id"),
        )
    return [(str(m.public_id), m.user.get_full_name()) for m in members.order_by("user__last_name", "user__first_name")]


def structure_choices(membership, scope):
    if scope != "territoire":
        return []
    from .pickers import structure_filter_choices

    return structure_filter_choices(membership.organisation.territory_id)
