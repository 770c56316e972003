"""What must be handed over before a professional's membership is deactivated.

Accounts knows nothing of the apps built on it (people, pathways…), so each of them tells what
the departing professional still carries through an `AppConfig` method:

    def before_deactivation(self, membership):
        return [HandOver(label="référent·e de 12 personnes", count=12, url=..., action="Confier …")]

The deactivation page lists these hand-overs with their links, and `deactivate_member` refuses
while any remains.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class HandOver:
    label: str
    count: int
    url: str
    action: str = "Organiser la passation"


def pending_hand_overs(membership):
    items = []
    for app_config in apps.get_app_configs():
        method = getattr(app_config, "before_deactivation", None)
        if callable(method):
            items.extend(item for item in method(membership) if item.count)
    return items
