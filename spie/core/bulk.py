"""Fast set-based inserts: COPY on PostgreSQL, bulk_create elsewhere."""

import json
import operator

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def _allocate_ids(model, count):
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _row_reader(fields):
    """A function giving an object's column values as psycopg adapts them natively.

    Cheaper than Django's per-field preparation: timestamps set automatically get the same `now`,
    JSON is dumped to text, everything else (str, int, bool, date, datetime, UUID, Decimal,
    foreign-key ids) goes as it is.
    """
    now = timezone.now()
    readers = []
    for field in fields:
        if isinstance(field, models.JSONField):
            readers.append(lambda obj, name=field.attname: json.dumps(getattr(obj, name)))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            readers.append(lambda obj, name=field.attname: getattr(obj, name) or now)
        else:
            readers.append(operator.attrgetter(field.attname))
    return lambda obj: [read(obj) for read in readers]


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
    read = _row_reader(fields)
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objects:
            copy.write_row(read(obj))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def insert_rows(model, rows):
    """Insert plain rows (dicts of column attribute → value) without building model instances.

    Missing fields take their default; automatic timestamps take the time of the call. Returns
    the number of rows. For large audit or log tables where instances would cost more than the
    insert itself.
    """
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**row) for row in rows), batch_size=BATCH)
        return len(rows)
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(lambda now=now: now)
        else:
            defaults.append(field.get_default)
    json_fields = {field.attname for field in fields if isinstance(field, models.JSONField)}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = []
            for field, default in zip(fields, defaults, strict=True):
                value = row[field.attname] if field.attname in row else default()
                values.append(json.dumps(value) if field.attname in json_fields else value)
            copy.write_row(values)
    return len(rows)
