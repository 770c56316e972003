# The orientation queue reads people_person by territory, not oriented, ordered by entry date.
# The index lives on the people table but serves this app's queue: created here with SQL so that
# the people app's model state is untouched (to move into Person.Meta.indexes by its owner).

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_orientation_queue_idx ON people_person (territory_id, entry_date, id) "
    "WHERE oriented_at IS NULL AND anonymised_at IS NULL"
)
DROP = "DROP INDEX IF EXISTS person_orientation_queue_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0001_orientation"),
        ("people", "0002_person_oriented_at"),
    ]

    operations = [migrations.RunSQL(CREATE, reverse_sql=DROP)]
