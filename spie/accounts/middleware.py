import zoneinfo

from django.utils import timezone

from .models import Membership

SESSION_KEY = "current_membership"


def _user_memberships(request):
    if not request.user.is_authenticated:
        return []
    return list(
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("organisation__territory")
        .order_by("organisation__name", "role")
    )


def _current_membership(request):
    memberships = request.memberships
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.public_id) == chosen:
            return membership
    return memberships[0]


class CurrentMembershipMiddleware:
    """Put the user's memberships and the one chosen in the header on the request.

    The current membership decides what the professional sees and may do; the territory's
    time zone is activated so that times show as the territory lives them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = _user_memberships(request)
        request.membership = _current_membership(request)
        territory = request.membership.organisation.territory if request.membership else None
        if territory is not None:
            timezone.activate(zoneinfo.ZoneInfo(territory.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
