"""Rate limits counted in the database, so that they hold across processes and servers.

Each app keeps its own small table of hits (keyed hashes or foreign keys, never personal data)
with an `at` time; these helpers count a window of it and write a hit. Used by the person's space
login (spie.personspace.login) and by the identity search (spie.people.search_limits).
"""

import datetime

from django.utils import timezone


def window_start(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def hits(model, *, minutes, **match):
    """How many rows of `model` matching `match` were written in the last `minutes`."""
    return model.objects.filter(at__gte=window_start(minutes), **match).count()


def over_limit(model, limit, *, minutes, **match):
    """Whether `limit` rows matching `match` were already written in the window (a blank key,
    such as an unknown address, is never limited)."""
    if not all(match.values()):
        return False
    return hits(model, minutes=minutes, **match) >= limit


def remember_hit(model, *, kept_hours, **fields):
    """Write one hit; rows older than `kept_hours` are deleted on the way."""
    now = timezone.now()
    model.objects.filter(at__lt=now - datetime.timedelta(hours=kept_hours)).delete()
    return model.objects.create(at=now, **fields)
