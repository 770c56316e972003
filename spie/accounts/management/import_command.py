"""The shared body of `import_organisations` and `import_professionals`: dry run by default."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from spie.accounts.models import AccountImport
from spie.core.imports import ImportFileError
from spie.territories.models import Territory


class ImportCommand(BaseCommand):
    kind = ""
    plan = apply = None

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--territory", required=True, help="Code du territoire (ex. 59, cea)")
        parser.add_argument("--wet-run", action="store_true", help="Écrire réellement (sinon : simulation)")
        parser.add_argument("--skip-invalid", action="store_true", help="Importer les lignes valides malgré les rejets")

    def summary(self, counts, rejected):
        raise NotImplementedError

    def handle(self, *args, file, territory, wet_run, skip_invalid, **options):
        started = time.monotonic()
        territory_obj = Territory.objects.filter(code=territory).first()
        if territory_obj is None:
            raise CommandError(f"Territoire inconnu : {territory}.")
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as error:
            raise CommandError(f"Lecture impossible de {file} : {error.strerror}.") from None
        try:
            with tqdm(desc="Vérification", unit=" lignes", file=self.stderr) as bar:
                report = type(self).plan(content, territory=territory_obj, progress=bar.update)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for warning in report.warnings:
            self.stderr.write(f"Avertissement : {warning}")
        for result in report.rejected:
            for error in result.errors:
                self.stdout.write(f"Ligne {result.line} : {error}")
        if not wet_run:
            self.stdout.write(f"Simulation : {report.summary()}. Rien n'a été écrit (ajoutez --wet-run).")
            return
        if not report.can_apply(skip_invalid):
            raise CommandError(
                f"Import refusé : {len(report.rejected)} ligne(s) rejetée(s), rien n'a été écrit "
                "(corrigez le fichier, ou ajoutez --skip-invalid)."
            )
        source = AccountImport.objects.create(
            kind=self.kind, territory=territory_obj, filename=str(file)[-255:], content=b"", skip_invalid=skip_invalid
        )
        total = len(report.results) - len(report.rejected)
        with tqdm(total=total, desc="Écriture", unit=" lignes", file=self.stderr) as bar:
            counts = type(self).apply(
                report,
                territory=territory_obj,
                by=None,
                skip_invalid=skip_invalid,
                source_import=source,
                progress=bar.update,
            )
        summary = self.summary(counts, len(report.rejected))
        source.summary, source.applied_at = summary[:255], timezone.now()
        source.save(update_fields=["summary", "applied_at", "updated_at"])
        self.stdout.write(f"Import terminé en {time.monotonic() - started:.1f} s : {summary}.")
