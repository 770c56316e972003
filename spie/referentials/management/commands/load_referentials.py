"""`manage.py load_referentials`: COG, ROME, NAF, pathway referential, data·inclusion, territories."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from spie.referentials.loaders import DEFAULT_DATA_DIR, load_all
from spie.referentials.sync import LoadError


def _french_seconds(seconds):
    return f"{seconds:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les référentiels nationaux (communes, ROME, NAF, référentiel du parcours, "
        "vocabulaires data·inclusion) puis les territoires officiels. Sans effet si tout est à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Dossier des données (par défaut : spie/referentials/data).",
        )

    def handle(self, *args, data_dir, verbosity, **options):
        from spie.territories.seed import SeedError, load_official_territories

        started = time.monotonic()
        show_bars = verbosity > 0

        def progress(label, total):
            return tqdm(
                total=total,
                desc=label[:1].upper() + label[1:],
                unit=" lignes",
                file=sys.stderr,
                disable=not show_bars,
                leave=True,
            )

        try:
            with transaction.atomic():
                results = load_all(data_dir, progress)
                with progress("territoires officiels", 1) as bar:
                    territories = load_official_territories()
                    bar.update(1)
        except (LoadError, SeedError) as error:
            raise CommandError(f"Chargement annulé, rien n'a été écrit : {error}") from error

        created = sum(r.created for r in results) + territories.get("territories_created", 0)
        updated = sum(r.updated for r in results) + territories.get("territories_updated", 0)
        deleted = sum(r.deleted for r in results)
        territories_changed = territories.get("territories_created", 0) + territories.get("territories_updated", 0)
        unchanged = sum(r.unchanged for r in results)
        unchanged += max(territories.get("territories_total", 0) - territories_changed, 0)
        totals = {}
        for result in results:  # the referential version is not worth a figure
            if result.label != "versions du référentiel":
                totals[result.label] = totals.get(result.label, 0) + result.total
        figures = ", ".join(f"{total} {label}" for label, total in totals.items())
        figures += f", {territories.get('territories_total', 0)} territoires"
        counts = f"créés : {created}, mis à jour : {updated}, inchangés : {unchanged}"
        if deleted:
            counts += f", supprimés : {deleted}"
        elapsed = _french_seconds(time.monotonic() - started)
        if created or updated or deleted:
            self.stdout.write(f"Référentiels chargés en {elapsed} s : {figures} ({counts}).")
        else:
            self.stdout.write(f"Référentiels déjà à jour, aucun changement ({elapsed} s) : {figures} ({counts}).")
