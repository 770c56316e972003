import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from spie.core.imports import ImportFileError
from spie.offers.imports import apply_import, plan_import, refresh_statistics, summary_line


class Command(BaseCommand):
    help = (
        "Importe un fichier data·inclusion (JSON structures + services, ou CSV) dans l'annuaire de l'offre "
        "(simulation par défaut ; --wet-run pour écrire)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="Source des enregistrements qui ne l'indiquent pas (ex. dora)")
        parser.add_argument("--wet-run", action="store_true", help="Écrire réellement (sinon : simulation)")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Importer les enregistrements valides malgré les rejets"
        )
        parser.add_argument("--max-errors", type=int, default=50, help="Nombre d'erreurs affichées au plus")

    def handle(self, *args, file, source, wet_run, skip_invalid, max_errors, **options):
        started = time.monotonic()
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as error:
            raise CommandError(f"Lecture impossible de {file} : {error.strerror}.") from None
        try:
            with tqdm(desc="Vérification", unit=" enregistrements", file=self.stderr) as bar:
                plan = plan_import(content, source=source, progress=bar.update)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for warning in plan.warnings:
            self.stderr.write(f"Avertissement : {warning}")
        errors = [error for result in plan.rejected for error in result.errors]
        for error in errors[:max_errors]:
            self.stdout.write(error)
        if len(errors) > max_errors:
            self.stdout.write(f"… et {len(errors) - max_errors} autre(s) erreur(s).")
        if not wet_run:
            self.stdout.write(f"Simulation : {plan.summary()}. Rien n'a été écrit (ajoutez --wet-run).")
            return
        if not plan.can_apply(skip_invalid):
            raise CommandError(
                f"Import refusé : {len(plan.rejected)} enregistrement(s) rejeté(s), rien n'a été écrit "
                "(corrigez le fichier, ou ajoutez --skip-invalid)."
            )
        to_write = sum(1 for r in plan.results if r.action in ("create", "update"))
        with tqdm(total=to_write, desc="Écriture", unit=" enregistrements", file=self.stderr) as bar:
            counts = apply_import(plan, skip_invalid=skip_invalid, filename=file, progress=bar.update)
        refresh_statistics()
        self.stdout.write(f"Import terminé en {time.monotonic() - started:.1f} s — {summary_line(counts)}.")
