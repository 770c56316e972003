"""Loader of the Code officiel géographique (INSEE): régions, départements, EPCI, communes.

Reads the files of `spie/referentials/data/cog/` (see its README) and synchronises the
territories tables in a handful of set-based queries. Run through `manage.py load_referentials`.
"""

import csv
import json
from pathlib import Path

from django.db import transaction

from spie.core.text import normalize_for_search
from spie.referentials.sync import LoadError, id_map, sync_rows

from .models import Commune, Departement, Epci, PostalCode, Region

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "referentials" / "data"


def _read_json(path):
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise LoadError(f"Fichier introuvable : {path}.") from error
    except json.JSONDecodeError as error:
        raise LoadError(f"{path.name} n'est pas un JSON valable (ligne {error.lineno}).") from error


def _read_csv(path):
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return [{name: (value or "").strip() for name, value in row.items()} for row in csv.DictReader(handle)]
    except FileNotFoundError as error:
        raise LoadError(f"Fichier introuvable : {path}.") from error


def _int_or_none(value):
    return int(value) if value not in ("", None) else None


def _float_or_none(value):
    return float(value) if value not in ("", None) else None


@transaction.atomic
def load_geography(data_dir=DEFAULT_DATA_DIR, progress=None):
    """Load régions, départements, EPCI, communes and postal codes; returns one result per table."""
    cog = Path(data_dir) / "cog"
    regions = _read_json(cog / "regions.json")
    departements = _read_json(cog / "departements.json")
    epcis = _read_csv(cog / "epci.csv")
    communes = _read_csv(cog / "communes.csv")
    results = []

    results.append(
        sync_rows(
            Region,
            [{"code": r["code"], "name": r["nom"]} for r in regions],
            key=["code"],
            fields=["name"],
            label="régions",
            progress=progress,
        )
    )

    region_ids = id_map(Region.objects.all(), "code")
    departement_rows = []
    for item in departements:
        if item["region"] not in region_ids:
            raise LoadError(
                f"departements.json : région « {item['region']} » inconnue pour le département {item['code']}."
            )
        departement_rows.append({"code": item["code"], "name": item["nom"], "region_id": region_ids[item["region"]]})
    results.append(
        sync_rows(
            Departement,
            departement_rows,
            key=["code"],
            fields=["name", "region_id"],
            label="départements",
            progress=progress,
        )
    )

    results.append(
        sync_rows(
            Epci,
            [{"siren": e["siren"], "name": e["nom"], "kind": e["type"]} for e in epcis],
            key=["siren"],
            fields=["name", "kind"],
            label="EPCI",
            progress=progress,
        )
    )

    departement_ids = id_map(Departement.objects.all(), "code")
    epci_ids = id_map(Epci.objects.all(), "siren")
    epci_of_commune = {}
    for epci in epcis:
        for insee_code in filter(None, epci["communes_membres"].split("|")):
            epci_of_commune.setdefault(insee_code, epci_ids[epci["siren"]])
    commune_rows = []
    for line, item in enumerate(communes, start=2):
        departement_id = departement_ids.get(item["departement"])
        if departement_id is None:
            raise LoadError(
                f"communes.csv, ligne {line} : département « {item['departement']} » inconnu "
                f"pour la commune {item['code_insee']}."
            )
        try:
            commune_rows.append(
                {
                    "insee_code": item["code_insee"],
                    "name": item["nom"],
                    "search_name": normalize_for_search(item["nom"]),
                    "departement_id": departement_id,
                    "epci_id": epci_of_commune.get(item["code_insee"]),
                    "postal_codes": item["codes_postaux"],
                    "population": _int_or_none(item["population"]),
                    "latitude": _float_or_none(item["latitude"]),
                    "longitude": _float_or_none(item["longitude"]),
                }
            )
        except ValueError as error:
            raise LoadError(f"communes.csv, ligne {line} : valeur numérique invalide ({error}).") from error
    results.append(
        sync_rows(
            Commune,
            commune_rows,
            key=["insee_code"],
            fields=[
                "name",
                "search_name",
                "departement_id",
                "epci_id",
                "postal_codes",
                "population",
                "latitude",
                "longitude",
            ],
            label="communes",
            progress=progress,
        )
    )

    commune_ids = id_map(Commune.objects.all(), "insee_code")
    postal_rows = [
        {"code": code, "commune_id": commune_ids[row["insee_code"]]}
        for row in commune_rows
        for code in row["postal_codes"].split("|")
        if code
    ]
    loaded_ids = {commune_ids[row["insee_code"]] for row in commune_rows}
    results.append(
        sync_rows(
            PostalCode,
            postal_rows,
            key=["code", "commune_id"],
            fields=[],
            label="codes postaux",
            progress=progress,
            # A postal code dropped from a loaded commune goes; other communes keep theirs.
            delete_missing=lambda key: key[1] in loaded_ids,
        )
    )
    return results
