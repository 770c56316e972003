"""The territory's directory as data·inclusion JSON (importable again) and as CSV."""

from .schema import SERVICE_FIELDS, service_record, structure_record

CSV_HEADER = [*SERVICE_FIELDS, "structure_nom"]


def directory_json(offers):
    """{"structures": [...], "services": [...]}: the services and the structures they belong to."""
    offers = offers.select_related("structure").order_by("source", "source_id")
    services, structures = [], {}
    for offer in offers.iterator(chunk_size=2000):
        services.append(service_record(offer))
        structures.setdefault(offer.structure_id, offer.structure)
    ordered = sorted(structures.values(), key=lambda s: (s.source, s.source_id))
    return {"structures": [structure_record(s) for s in ordered], "services": services}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def service_csv_row(offer):
    record = service_record(offer)
    return [_cell(record[key]) for key in SERVICE_FIELDS] + [offer.structure.name]


def directory_csv_rows(offers):
    for offer in offers.select_related("structure").iterator(chunk_size=2000):
        yield service_csv_row(offer)
