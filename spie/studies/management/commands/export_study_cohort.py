"""Write an impact study's pseudonymised extract (CSV, Parquet, data dictionary) into a directory."""

import datetime
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from spie.core.errors import DomainError
from spie.studies import cohort, services
from spie.studies.enums import ExportChannel
from spie.studies.models import Study
from spie.territories.models import Territory

NATIONAL = "national"


def _date(value, option):
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"{option} : « {value} » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA).")


class Command(BaseCommand):
    help = (
        "Produit l'extraction pseudonymisée d'une étude d'impact : les parcours entrés entre deux dates dans "
        "un territoire, en CSV et Parquet avec leur dictionnaire des données. Chaque extraction est journalisée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", help=f"Code du territoire (« {NATIONAL} » : tous les territoires)")
        parser.add_argument("--from", dest="date_from", help="Entrées dans le parcours à partir du (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="Jusqu'au, inclus (AAAA-MM-JJ)")
        parser.add_argument("--output", default=".", help="Dossier où écrire les fichiers (créé au besoin)")
        parser.add_argument(
            "--study", help="Identifiant d'une étude existante : ses identifiants de personnes sont conservés"
        )
        parser.add_argument("--name", default="", help="Nom de la nouvelle étude")
        parser.add_argument("--purpose", default="", help="Finalité de la nouvelle étude")

    def handle(self, *args, **options):
        try:
            cohort.study_key()
        except DomainError as error:
            raise CommandError(error.message) from None
        study = self._study(options)
        output = Path(options["output"])
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"--output : impossible de créer le dossier « {output} » ({error.strerror}).") from None
        total = cohort.study_pathways(study).count()
        with tqdm(total=total, desc="Extraction", unit=" parcours", file=self.stderr, disable=not total) as bar:
            try:
                extract = cohort.run_extract(study, output, by=None, channel=ExportChannel.COMMAND, progress=bar.update)
            except DomainError as error:
                raise CommandError(error.message) from None
        self.stdout.write(
            f"Étude « {study.name} » ({study.public_id}) : {extract.row_count} ligne(s) écrite(s) dans {output} "
            f"({', '.join(path.name for path in extract.paths)}). SHA-256 du CSV : {extract.csv_sha256}. "
            f"Pour une nouvelle extraction avec les mêmes identifiants : --study {study.public_id}"
        )

    def _territory(self, code):
        if code is None or code == NATIONAL:
            return None
        territory = Territory.objects.filter(code=code).first()
        if territory is None:
            raise CommandError(f"--territory : territoire inconnu « {code} ».")
        return territory

    def _study(self, options):
        date_from = _date(options["date_from"], "--from") if options["date_from"] else None
        date_to = _date(options["date_to"], "--to") if options["date_to"] else None
        if options["study"]:
            return self._existing_study(options, date_from, date_to)
        if options["territory"] is None or date_from is None or date_to is None:
            raise CommandError("Indiquez --territory, --from et --to (ou --study pour une étude existante).")
        territory = self._territory(options["territory"])
        if date_from > date_to:
            raise CommandError("--from : la date de début doit précéder la date de fin (--to).")
        scope = territory.name if territory else "national"
        try:
            return services.create_study(
                name=options["name"] or f"Extraction {scope} — entrées du {date_from:%d/%m/%Y} au {date_to:%d/%m/%Y}",
                purpose=options["purpose"] or "Étude d'impact sur les personnes accompagnées (extraction en commande).",
                territory=territory,
                period_from=date_from,
                period_to=date_to,
                by=None,
            )
        except DomainError as error:
            raise CommandError(error.message) from None

    def _existing_study(self, options, date_from, date_to):
        try:
            study = Study.objects.select_related("territory").filter(public_id=uuid.UUID(options["study"])).first()
        except ValueError:
            study = None
        if study is None:
            raise CommandError(f"--study : aucune étude n'a l'identifiant « {options['study']} ».")
        territory_code = study.territory.code if study.territory_id else NATIONAL
        if options["territory"] is not None and options["territory"] != territory_code:
            raise CommandError(f"--territory : l'étude porte sur « {territory_code} », pas « {options['territory']} ».")
        if (date_from and date_from != study.period_from) or (date_to and date_to != study.period_to):
            raise CommandError(
                f"--from / --to : la période de l'étude est du {study.period_from:%d/%m/%Y} au "
                f"{study.period_to:%d/%m/%Y} ; elle ne se change pas."
            )
        return study
