from django import template
from django.urls import reverse

from spie.onboarding.guide import ROLE_PAGES
from spie.onboarding.help import help_for
from spie.people.bulk import can_bulk_assign as _can_bulk_assign

register = template.Library()


@register.inclusion_tag("onboarding/_help.html", takes_context=True)
def page_help(context):
    """The "Comment faire ?" accordion of the current page, if its view has a help text."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    help_text = help_for(match.view_name) if match else None
    membership = getattr(request, "membership", None)
    slug = ROLE_PAGES.get(membership.role) if membership is not None else None
    return {
        "help": help_text,
        "guide_url": reverse("onboarding:guide_page", args=[slug]) if slug else reverse("onboarding:guide"),
    }


@register.filter
def can_bulk_assign(membership):
    """Whether the bulk referent assignment is offered to this membership (rule in spie.people.bulk)."""
    return _can_bulk_assign(membership)
