from django import template
from django.utils import formats

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def euros(value):
    """12345.5 -> '12 345,50 €' (French grouping, two decimals)."""
    if value is None or value == "":
        return "—"
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} €"


@register.filter
def make_list_of_words(value):
    return value.split()


@register.filter
def field_named(form, name):
    """A form's bound field by name, or None when the form does not have it."""
    return form[name] if name in form.fields else None
