"""PostgreSQL only: the French full-text index of the directory (the search text is already
unaccented and lower-cased when written, so no `unaccent` extension is needed)."""

from django.db import migrations

INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS offer_search_fts_idx ON offers_offer "
    "USING gin (to_tsvector('french'::regconfig, COALESCE(search_text, '')))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offer_search_fts_idx")


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
