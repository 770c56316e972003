"""Checklist items of the apps that stay unaware of onboarding: territories and people."""

from dataclasses import fields

from django.urls import reverse

from spie.people.models import Person
from spie.territories.models import TerritorySettings
from spie.territories.policies import Policy

from .checklist import counted_items


def _settings_done(row):
    """Done once the coordinator has reviewed and saved the delays, even when keeping the national ones."""
    return row is not None


def territory_items(territories):
    rows = {row.territory_id: row for row in TerritorySettings.objects.filter(territory__in=territories)}
    items = {}
    for territory in territories:
        row = rows.get(territory.pk)
        own = sum(1 for field in fields(Policy) if row is not None and getattr(row, field.name) is not None)
        items[territory.pk] = [
            {
                "key": "delays",
                "position": 10,
                "label": "Délais et périodes du territoire réglés",
                "done": _settings_done(row),
                "url": reverse("onboarding:settings", args=[territory.code]),
                "help": (
                    "Vérifiez les délais (orientation, contrat d'engagement, points de situation…) : "
                    "gardez les valeurs nationales ou fixez celles du territoire."
                ),
                "detail": f"{own} réglage(s) propre(s) au territoire" if own else "valeurs nationales seulement",
            }
        ]
    return items


def people_items(territories):
    return counted_items(
        territories,
        Person.objects.filter(anonymised_at__isnull=True),
        unit="personne(s)",
        key="people",
        position=60,
        label="Personnes accompagnées importées",
        url=reverse("people:import"),
        help=(
            "Importez le fichier des personnes suivies (export du logiciel du Département ou de "
            "France Travail), ou créez les dossiers un à un."
        ),
    )
