"""Who is signed in to the person's space: a person, not a professional account.

The person's identity lives in the session under its own key, apart from Django's user login, so
a professional's session and a person's session never mix.
"""

import zoneinfo
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils import timezone

SESSION_KEY = "personspace_person"


def log_person_in(request, person):
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(person.public_id)


def log_person_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def get_space_person(request):
    """The person signed in to their space, or None."""
    from spie.people.models import Person

    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    return Person.objects.filter(public_id=public_id, anonymised_at__isnull=True).select_related("territory").first()


def person_login_required(view):
    """The view is for the signed-in person (`request.space_person`); others go to the login page.
    Times are shown in the person's territory's time zone."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = get_space_person(request)
        if person is None:
            return redirect("personspace:login")
        request.space_person = person
        timezone.activate(zoneinfo.ZoneInfo(person.territory.time_zone))
        return view(request, *args, **kwargs)

    return wrapper
