from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None."""
    return mapping.get(key) if mapping else None


@register.filter
def with_id(bound_field, element_id):
    """Render a bound field's widget with another id (several copies of a form on one page)."""
    return bound_field.as_widget(attrs={"id": element_id})
