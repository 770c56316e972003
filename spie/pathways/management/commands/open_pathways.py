"""Open the pathway of every person who has none (stage « entrée », or « orienté » when an
orientation is in force) and re-align the pathways' referent with the follow-up teams.
Set-based; dry run unless --wet-run."""

from django.core.management.base import BaseCommand
from django.db import transaction

from spie.pathways.demo import open_missing_pathways, sync_referents


class Command(BaseCommand):
    help = "Ouvre les parcours manquants et réaligne les référents des parcours sur les équipes de suivi."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrire vraiment (sinon : simulation)")

    def handle(self, *args, **options):
        with transaction.atomic():
            opened = open_missing_pathways()
            synced = sync_referents()
            if not options["wet_run"]:
                transaction.set_rollback(True)
        prefix = "" if options["wet_run"] else "Simulation : "
        self.stdout.write(f"{prefix}{opened} parcours ouvert(s), {synced} référent(s) réaligné(s).")
