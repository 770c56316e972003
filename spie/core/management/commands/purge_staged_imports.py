from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from spie.core.staging import purge_stale, staged_models, stale


class Command(BaseCommand):
    help = (
        "Supprime les fichiers d'import envoyés mais jamais confirmés depuis plus de "
        "STAGED_IMPORT_RETENTION_DAYS jours (simulation par défaut ; --wet-run pour supprimer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Supprimer réellement (sinon : simulation)")

    def handle(self, *args, wet_run, **options):
        models = staged_models()
        total = 0
        with tqdm(total=len(models), desc="Fichiers d'import", unit=" types", file=self.stderr) as bar:
            for model in models:
                count = purge_stale(model) if wet_run else stale(model).count()
                if count:
                    self.stdout.write(f"{model._meta.verbose_name} : {count} fichier(s)")
                total += count
                bar.update(1)
        days = settings.STAGED_IMPORT_RETENTION_DAYS
        if wet_run:
            self.stdout.write(f"{total} fichier(s) d'import non confirmé(s) depuis plus de {days} jours supprimé(s).")
        else:
            self.stdout.write(
                f"Simulation : {total} fichier(s) d'import non confirmé(s) depuis plus de {days} jours à supprimer "
                "(rien n'a été supprimé ; ajoutez --wet-run)."
            )
