"""The *métier en tension* badge, for any page where a ROME code appears.

    {% load companies_tags %}
    {% tension_badge job.code %}              {# the current membership's territory #}
    {% tension_badge code territory=person.territory %}
    {% tension_level code as level %}{% if level %}…{% endif %}

The territory's current list is read once per request (one query), whatever the number of codes.
"""

from django import template
from django.template.loader import render_to_string

from spie.companies.selectors import shortage_levels

register = template.Library()
CACHE_ATTRIBUTE = "_spie_shortage_levels"


def _levels(context, territory=None):
    request = context.get("request")
    territory_id = getattr(territory, "pk", territory)
    if territory_id is None and request is not None and getattr(request, "membership", None) is not None:
        territory_id = request.membership.organisation.territory_id
    if territory_id is None:
        return {}
    cache = getattr(request, CACHE_ATTRIBUTE, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, CACHE_ATTRIBUTE, cache)
    if territory_id not in cache:
        cache[territory_id] = shortage_levels(territory_id)
    return cache[territory_id]


@register.simple_tag(takes_context=True)
def tension_badge(context, code, territory=None):
    """A DSFR badge « Métier en tension » (with its level) when `code` is on the territory's list."""
    code = getattr(code, "code", code)
    level = _levels(context, territory).get(str(code or "").upper())
    if not level:
        return ""
    return render_to_string("companies/_tension_badge.html", {"level": level})


@register.simple_tag(takes_context=True)
def tension_level(context, code, territory=None):
    """The tension level (1–5) of `code` in the territory, or 0."""
    code = getattr(code, "code", code)
    return _levels(context, territory).get(str(code or "").upper(), 0)
