from django import template

from spie.evaluation.reports import format_value

register = template.Library()


@register.simple_tag
def indicator_value(measure, indicator):
    """« 12,5 % », « 18 jours », « non calculable » (empty when there is no value to show)."""
    return format_value(measure, indicator)


@register.simple_tag
def target_value(value, indicator):
    if value is None:
        return "—"
    from spie.evaluation.compute import Measure

    return format_value(Measure(value), indicator)
