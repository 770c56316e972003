import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from spie.accounts.models import Organisation
from spie.core.imports import ImportFileError
from spie.people.imports import apply_import, plan_import
from spie.territories.models import Territory


class Command(BaseCommand):
    help = "Importe des personnes depuis un CSV (simulation par défaut ; --wet-run pour écrire)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--territory", required=True, help="Code du territoire (ex. 59, cea)")
        parser.add_argument(
            "--organisation", help="SIRET de la structure qui importe (référents choisis d'abord chez elle)"
        )
        parser.add_argument("--wet-run", action="store_true", help="Écrire réellement (sinon : simulation)")
        parser.add_argument("--skip-invalid", action="store_true", help="Importer les lignes valides malgré les rejets")

    def handle(self, *args, file, territory, organisation, wet_run, skip_invalid, **options):
        started = time.monotonic()
        territory_obj = Territory.objects.filter(code=territory).first()
        if territory_obj is None:
            raise CommandError(f"Territoire inconnu : {territory}.")
        organisation_obj = None
        if organisation:
            organisation_obj = Organisation.objects.filter(siret=organisation, territory=territory_obj).first()
            if organisation_obj is None:
                raise CommandError(f"Aucune structure de SIRET {organisation} dans le territoire {territory}.")
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as error:
            raise CommandError(f"Lecture impossible de {file} : {error.strerror}.") from None
        try:
            with tqdm(desc="Vérification", unit=" lignes", file=self.stderr) as bar:
                report = plan_import(
                    content, territory=territory_obj, organisation=organisation_obj, progress=bar.update
                )
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
        with tqdm(
            total=len(report.results) - len(report.rejected),
            desc="Écriture",
            unit=" lignes",
            file=self.stderr,
        ) as bar:
            counts = apply_import(
                report,
                territory=territory_obj,
                by=None,
                organisation=organisation_obj,
                skip_invalid=skip_invalid,
                progress=bar.update,
            )
        self.stdout.write(
            f"Import terminé en {time.monotonic() - started:.1f} s : {counts['created']} créé(s), "
            f"{counts['updated']} mis à jour, {counts['unchanged']} inchangé(s), {len(report.rejected)} rejeté(s), "
            f"{counts['referents']} référent(s) désigné(s)."
        )
