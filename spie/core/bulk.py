"""Fast set-based inserts: COPY on PostgreSQL, bulk_create elsewhere."""

import json

from django.db import connection

BATCH = 5000


def _allocate_ids(model, count):
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _plain(value):
    """psycopg's COPY writes plain Python values; Django's JSON wrapper is turned into text."""
    adapted = getattr(value, "obj", None)
    if adapted is not None and value.__class__.__name__ in ("Jsonb", "Json"):
        return json.dumps(adapted)
    return value


def insert(model, objects):
    """Insert unsaved `objects` (their primary keys are set, as with bulk_create) and return them."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=BATCH)
    missing = [obj for obj in objects if obj.pk is None]
    for obj, pk in zip(missing, _allocate_ids(model, len(missing)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objects:
            copy.write_row(
                [_plain(field.get_db_prep_save(field.pre_save(obj, add=True), connection)) for field in fields]
            )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects
