"""The pseudonymised extract of a Nord-sized territory: rows per second, streamed in batches."""

import tempfile
import time

from spie.pathways.models import Pathway
from spie.territories.models import Territory

from . import cohort
from .models import Study

TARGET_ROWS_PER_SECOND = 2000  # 100,000 pathways of the Nord in under a minute


def run(ctx):
    territory = Territory.objects.filter(code="59").first() or Territory.objects.order_by("code").first()
    pathways = Pathway.objects.filter(territory=territory) if territory else None
    if territory is None or not pathways.exists():
        ctx.say("  Études : aucun parcours (lancez la mesure des parcours avant), mesure ignorée.")
        return
    bounds = pathways.order_by("entered_on").values_list("entered_on", flat=True)
    study = Study(
        name="Mesure", purpose="Mesure", territory=territory, period_from=bounds.first(), period_to=bounds.last()
    )  # not saved: the measure writes files only, and logs nothing
    with tempfile.TemporaryDirectory() as directory:
        started = time.monotonic()
        extract = cohort.write_extract(study, directory)
        elapsed = time.monotonic() - started
    ctx.say(f"  Extraction de {extract.row_count} parcours en {elapsed:.1f} s")
    ctx.record(
        "study_extract_rows_per_second",
        extract.row_count / max(elapsed, 0.001),
        "lignes/s",
        TARGET_ROWS_PER_SECOND,
        lower_is_better=False,
    )
