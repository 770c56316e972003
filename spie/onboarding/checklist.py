"""Collect the checklist items that every app contributes (see the package docstring)."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    url: str
    help: str
    key: str = ""
    position: int = 100
    detail: str = ""

    @classmethod
    def coerce(cls, value):
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(**value)
        return cls(**{name: getattr(value, name) for name in cls.__dataclass_fields__ if hasattr(value, name)})


def counted_items(territories, queryset, *, unit, **item):
    """{territory.pk: [item]}: one item per territory, done once `queryset` (rows with a
    `territory`) has one in it, its count in the detail ("12 instance(s)" for unit "instance(s)")."""
    counts = dict(
        queryset.filter(territory__in=territories).values_list("territory").annotate(n=Count("pk")).order_by()
    )
    items = {}
    for territory in territories:
        count = counts.get(territory.pk, 0)
        items[territory.pk] = [{**item, "done": count > 0, "detail": f"{count} {unit}"}]
    return items


@dataclass(frozen=True)
class Checklist:
    territory: object
    items: list

    @property
    def done(self):
        return [item for item in self.items if item.done]

    @property
    def left(self):
        return [item for item in self.items if not item.done]

    @property
    def percent(self):
        return round(100 * len(self.done) / len(self.items)) if self.items else 0

    @property
    def complete(self):
        return bool(self.items) and not self.left


def checklists_for(territories):
    """The checklist of each territory, in the given order: a few queries per app for all of them."""
    territories = list(territories)
    items = {territory.pk: [] for territory in territories}
    for app_config in apps.get_app_configs():
        method = getattr(app_config, "onboarding_items", None)
        if not callable(method) or not territories:
            continue
        for territory_pk, contributed in method(territories).items():
            items[territory_pk].extend(ChecklistItem.coerce(item) for item in contributed)
    return [
        Checklist(territory=t, items=sorted(items[t.pk], key=lambda item: (item.position, item.label)))
        for t in territories
    ]


def checklist_for(territory):
    return checklists_for([territory])[0]
