from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None."""
    return mapping.get(key) if mapping else None


@register.filter
def with_suffix(bound_field, suffix):
    """Render a bound field's widget with the id `<name>-<suffix>` (several copies of a form on one
    page)."""
    return bound_field.as_widget(attrs={"id": f"{bound_field.name}-{suffix}"})
