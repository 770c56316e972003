"""Directory records for tests: structures and services placed in real communes."""

import datetime
import itertools

from spie.core.text import normalize_for_search
from spie.offers.geo import GeoIndex
from spie.offers.indexing import derive, derive_structure, reindex
from spie.offers.models import Offer, OfferStructure

_ids = itertools.count(1)


def make_structure(*, source="dora", organisation=None, code_insee="59350", **fields):
    number = next(_ids)
    values = {
        "source": source,
        "source_id": f"{source}--structure-{number}",
        "name": f"Structure d'insertion {number}",
        "code_insee": code_insee,
        "updated_on": datetime.date(2026, 10, 1),
        **fields,
    }
    structure = OfferStructure(**values)
    structure.search_name = normalize_for_search(structure.name)
    derive_structure(structure, geo=GeoIndex(), organisations_by_siret={})
    if organisation is not None:
        structure.organisation = organisation
        structure.siret = organisation.siret
    structure.content_hash = ""
    structure.save()
    return structure


def make_offer(
    *,
    structure=None,
    source="dora",
    code_insee="59350",
    thematiques=("mobilite--preparer-un-permis",),
    reception_modes=("en-presentiel",),
    zone=None,
    **fields,
):
    structure = structure or make_structure(source=source, code_insee=code_insee)
    number = next(_ids)
    offer = Offer(
        source=structure.source,
        source_id=f"{structure.source}--service-{number}",
        structure=structure,
        name=fields.pop("name", f"Service {number}"),
        description=fields.pop("description", "Un accompagnement de proximité pour avancer vers l'emploi."),
        thematiques=list(thematiques),
        reception_modes=list(reception_modes),
        eligibility_zone=list(zone) if zone else None,
        code_insee=code_insee,
        updated_on=fields.pop("updated_on", datetime.date(2026, 10, 1)),
        **fields,
    )
    derive(offer, structure=structure, geo=GeoIndex())
    offer.content_hash = ""
    offer.save()
    reindex([offer])
    return offer
