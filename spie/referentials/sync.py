"""Set-based synchronisation of a table with rows read from a data file.

No domain knowledge here: one query loads the existing keys and values, then new rows are
inserted with `bulk_create` and changed rows rewritten with `bulk_update`. Nothing is ever
written row by row, and a second run with the same data writes nothing.
"""

from dataclasses import dataclass

BATCH_SIZE = 2000


class LoadError(Exception):
    """A data file cannot be loaded; the message (in French) names the file and the row."""


@dataclass
class LoadResult:
    """What one step did: `label` is the plural noun shown to the user (« communes »)."""

    label: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted)

    def __add__(self, other):
        return LoadResult(
            self.label,
            self.total + other.total,
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.deleted + other.deleted,
        )


class _NoProgress:
    def update(self, n=1):
        pass

    def close(self):
        pass


def no_progress(label, total):
    return _NoProgress()


def sync_rows(model, rows, *, key, fields, label, queryset=None, progress=None, delete_missing=False):
    """Make `queryset` (default: every row of `model`) hold exactly the values of `rows`.

    `rows` are dicts holding the `key` fields and the `fields` to keep up to date (foreign keys
    by attname, e.g. `departement_id`). Rows of the source with the same key: the last one wins.
    With `delete_missing` (True, or a predicate on the key), existing rows whose key is not in
    `rows` are deleted (derived tables only: never rows that user data may point at).
    """
    queryset = (queryset if queryset is not None else model._default_manager.all()).order_by()
    progress = progress or no_progress
    wanted = {tuple(row[name] for name in key): row for row in rows}
    bar = progress(label, len(wanted))
    size = len(key)
    existing = {
        values[:size]: (values[size], values[size + 1 :])
        for values in queryset.values_list(*key, "pk", *fields).iterator(chunk_size=BATCH_SIZE)
    }
    to_create, to_update = [], []
    result = LoadResult(label, total=len(wanted))
    for row_key, row in wanted.items():
        current = existing.get(row_key)
        if current is None:
            to_create.append(model(**row))
        elif tuple(row[name] for name in fields) != current[1]:
            to_update.append(model(pk=current[0], **row))
        else:
            result.unchanged += 1
    bar.update(result.unchanged)
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = to_create[start : start + BATCH_SIZE]
        model._default_manager.bulk_create(batch)
        bar.update(len(batch))
    for start in range(0, len(to_update), BATCH_SIZE):
        batch = to_update[start : start + BATCH_SIZE]
        model._default_manager.bulk_update(batch, list(fields))
        bar.update(len(batch))
    if delete_missing:
        keep = (lambda row_key: True) if delete_missing is True else delete_missing
        stale = [pk for row_key, (pk, _values) in existing.items() if row_key not in wanted and keep(row_key)]
        for start in range(0, len(stale), BATCH_SIZE):
            model._default_manager.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
        result.deleted = len(stale)
    bar.close()
    result.created, result.updated = len(to_create), len(to_update)
    return result


def id_map(queryset, key):
    """{key value: pk} in one query."""
    return dict(queryset.order_by().values_list(key, "pk"))
