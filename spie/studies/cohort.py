"""The pseudonymised extract of an impact study: one row per pathway entered during the study's
period, in CSV and Parquet, with its data dictionary.

No name, address, identifier or free text leaves: the person is a keyed hash proper to the study
(HMAC-SHA256 with `STUDY_HASH_KEY`, held in the environment and never written with the extract),
birth is reduced to year and month, and every other value is a date, a number or an enum code.
"""

import hashlib
import hmac
import zipfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from spie.core.csvwriter import csv_writer
from spie.core.errors import DomainError
from spie.pathways.enums import (
    CHECKPOINT_MONTHS,
    AppointmentStatus,
    CheckpointContact,
    ClosingReason,
    EmploymentContractType,
    PathwayType,
)
from spie.pathways.models import Appointment, EmploymentCheckpoint, EmploymentFollowUp, Pathway
from spie.questionnaires.enums import Step
from spie.questionnaires.models import QuestionnaireInvitation

from . import services

BATCH = 2000
PERSON_ID_LENGTH = 24  # hex characters kept of the HMAC (96 bits)
MIN_KEY_LENGTH = 16


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    definition: str
    source: str


def _codes(choices):
    return ", ".join(f"{value} ({label})" for value, label in choices.choices if value)


CHECKPOINT_OUTCOMES = {
    "en_emploi": "joint·e, toujours en emploi",
    "sorti_emploi": "joint·e, n'occupe plus cet emploi",
    "non_joint": "personne non jointe",
    "couvert": "point couvert par un point ultérieur",
}

COLUMNS = [
    Column(
        "study_person_id",
        pa.string(),
        "Identifiant pseudonyme de la personne, propre à cette étude : les mêmes personnes ont le même "
        f"identifiant d'une extraction à l'autre de l'étude, et un identifiant différent dans une autre "
        f"étude. HMAC-SHA256 (clé secrète détenue par la plateforme, jamais jointe à l'extraction) de "
        f"l'identifiant de l'étude et de celui de la personne, {PERSON_ID_LENGTH} premiers caractères "
        "hexadécimaux. Une personne ayant eu plusieurs parcours dans la période a plusieurs lignes.",
        "Calculé",
    ),
    Column("birth_year", pa.int16(), "Année de naissance.", "Dossier de la personne (date de naissance)"),
    Column("birth_month", pa.int8(), "Mois de naissance (1 à 12).", "Dossier de la personne (date de naissance)"),
    Column("sex", pa.string(), "Sexe : F, M, ou vide si non renseigné.", "Dossier de la personne"),
    Column("territory", pa.string(), "Code du territoire SPIE du parcours.", "Territoire"),
    Column(
        "pathway_type",
        pa.string(),
        f"Type de parcours décidé à l'orientation : {_codes(PathwayType)} ; vide si pas encore orienté.",
        "Parcours (décision d'orientation en vigueur)",
    ),
    Column("entered_on", pa.date32(), "Date d'entrée dans le parcours (T0).", "Parcours : date d'entrée"),
    Column(
        "oriented_on",
        pa.date32(),
        "Date de notification de la dernière décision d'orientation.",
        "Parcours : décision d'orientation",
    ),
    Column(
        "contract_signed_on",
        pa.date32(),
        "Date de signature du contrat d'engagement.",
        "Parcours : contrat d'engagement signé",
    ),
    Column(
        "first_seen_appointment_on",
        pa.date32(),
        "Date (heure locale du territoire) du premier rendez-vous honoré du parcours.",
        "Rendez-vous au statut « honoré »",
    ),
    Column("closed_on", pa.date32(), "Date de clôture du parcours ; vide s'il est ouvert.", "Parcours : clôture"),
    Column(
        "closing_reason",
        pa.string(),
        f"Motif de clôture (code) : {_codes(ClosingReason)}.",
        "Parcours : clôture",
    ),
    Column(
        "return_to_work_on",
        pa.date32(),
        "Date de début du premier emploi repris pendant le parcours.",
        "Suivi dans l'emploi : date de début",
    ),
    Column(
        "return_to_work_contract_type",
        pa.string(),
        f"Type de contrat de cet emploi (code) : {_codes(EmploymentContractType)}.",
        "Suivi dans l'emploi : type de contrat",
    ),
    Column(
        "return_to_work_durable",
        pa.bool_(),
        "Emploi durable (CDI, CDD ou intérim de 6 mois ou plus, création d'entreprise) : 1 ou 0 dans le CSV.",
        "Suivi dans l'emploi",
    ),
    *[
        Column(
            f"checkpoint_m{months}",
            pa.string(),
            f"Résultat du point de suivi dans l'emploi à M+{months} : "
            + ", ".join(f"{code} ({label})" for code, label in CHECKPOINT_OUTCOMES.items())
            + " ; vide s'il n'a pas encore eu lieu.",
            f"Point de suivi dans l'emploi à M+{months}",
        )
        for months in CHECKPOINT_MONTHS
    ],
    *[
        Column(
            f"score_{step.value}",
            pa.float64(),
            f"Note moyenne (1 à 5) du questionnaire « {step.label.lower()} » de la personne ; vide sans réponse. "
            "Un seul questionnaire par personne et par étape : plusieurs parcours d'une même personne portent "
            "la même note.",
            f"Questionnaire « {step.label.lower()} » (note moyenne des réponses)",
        )
        for step in Step
    ],
]
COLUMN_NAMES = [column.name for column in COLUMNS]
SCHEMA = pa.schema([(column.name, column.type) for column in COLUMNS])


def study_key():
    """The pseudonymisation key, from the environment; refuse to produce anything without it."""
    key = getattr(settings, "STUDY_HASH_KEY", "") or ""
    if len(key) < MIN_KEY_LENGTH:
        raise DomainError(
            "La clé de pseudonymisation des études (variable d'environnement STUDY_HASH_KEY) est absente ou "
            f"trop courte ({MIN_KEY_LENGTH} caractères au moins) : aucune extraction n'a été produite."
        )
    return key.encode()


def study_person_id(key, study, person_public_id):
    message = f"{study.public_id}:{person_public_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PERSON_ID_LENGTH]


def study_pathways(study):
    """Pathways entered during the study's period, in its territory (or everywhere, for a national study)."""
    pathways = Pathway.objects.filter(entered_on__gte=study.period_from, entered_on__lte=study.period_to)
    if study.territory_id:
        pathways = pathways.filter(territory_id=study.territory_id)
    return pathways


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _checkpoint_outcome(contact, still_in_job, recorded_on):
    if recorded_on is None:
        return None
    if contact == CheckpointContact.NOT_REACHED:
        return "non_joint"
    if still_in_job is None:
        return "couvert"
    return "en_emploi" if still_in_job else "sorti_emploi"


def _facts(pathway_ids, person_ids):
    """Per pathway: first seen appointment, first return to work and its checkpoints; per person:
    questionnaire scores (4 queries)."""
    first_seen = dict(
        Appointment.objects.filter(pathway_id__in=pathway_ids, status=AppointmentStatus.SEEN)
        .order_by()
        .values("pathway_id")
        .annotate(first=Min("starts_at"))
        .values_list("pathway_id", "first")
    )
    jobs = {}
    for job in (
        EmploymentFollowUp.objects.filter(pathway_id__in=pathway_ids)
        .order_by("pathway_id", "start_date", "pk")
        .values("pk", "pathway_id", "start_date", "contract_type", "is_durable")
    ):
        jobs.setdefault(job["pathway_id"], job)
    checkpoints = {}
    for checkpoint in EmploymentCheckpoint.objects.filter(follow_up_id__in=[job["pk"] for job in jobs.values()]).values(
        "follow_up_id", "months", "contact", "still_in_job", "recorded_on"
    ):
        checkpoints[(checkpoint["follow_up_id"], checkpoint["months"])] = _checkpoint_outcome(
            checkpoint["contact"], checkpoint["still_in_job"], checkpoint["recorded_on"]
        )
    scores = {
        (person_id, step): float(score)
        for person_id, step, score in QuestionnaireInvitation.objects.filter(
            person_id__in=person_ids, answered_at__isnull=False, score__isnull=False
        ).values_list("person_id", "step", "score")
    }
    return first_seen, jobs, checkpoints, scores


def extract_rows(study, key):
    """The extract's rows (dicts keyed by column name), batch by batch, streamed from the database."""
    fields = [
        "pk",
        "person_id",
        "person__public_id",
        "person__birth_date",
        "person__sex",
        "territory__code",
        "territory__time_zone",
        "pathway_type",
        "entered_on",
        "oriented_on",
        "contract_signed_on",
        "closed_on",
        "closing_reason",
    ]
    pathways = study_pathways(study).order_by("pk").values(*fields).iterator(chunk_size=BATCH)
    zones = {}
    for batch in _batches(pathways, BATCH):
        first_seen, jobs, checkpoints, scores = _facts(
            [row["pk"] for row in batch], {row["person_id"] for row in batch}
        )
        rows = []
        for row in batch:
            zone = zones.setdefault(row["territory__time_zone"], ZoneInfo(row["territory__time_zone"]))
            seen = first_seen.get(row["pk"])
            job = jobs.get(row["pk"])
            birth = row["person__birth_date"]
            rows.append(
                {
                    "study_person_id": study_person_id(key, study, row["person__public_id"]),
                    "birth_year": birth.year,
                    "birth_month": birth.month,
                    "sex": row["person__sex"] or None,
                    "territory": row["territory__code"],
                    "pathway_type": row["pathway_type"] or None,
                    "entered_on": row["entered_on"],
                    "oriented_on": row["oriented_on"],
                    "contract_signed_on": row["contract_signed_on"],
                    "first_seen_appointment_on": timezone.localtime(seen, zone).date() if seen else None,
                    "closed_on": row["closed_on"],
                    "closing_reason": row["closing_reason"] or None,
                    "return_to_work_on": job["start_date"] if job else None,
                    "return_to_work_contract_type": job["contract_type"] if job else None,
                    "return_to_work_durable": job["is_durable"] if job else None,
                    **{
                        f"checkpoint_m{months}": checkpoints.get((job["pk"], months)) if job else None
                        for months in CHECKPOINT_MONTHS
                    },
                    **{f"score_{step.value}": scores.get((row["person_id"], step.value)) for step in Step},
                }
            )
        yield rows


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Extract:
    study: object
    row_count: int
    csv_path: Path
    parquet_path: Path
    dictionary_paths: list
    csv_sha256: str
    parquet_sha256: str
    export: object = None

    @property
    def paths(self):
        return [self.csv_path, self.parquet_path, *self.dictionary_paths]


def base_name(study):
    return f"etude-{slugify(study.name)[:60] or 'sans-nom'}-{timezone.localdate():%Y%m%d}"


def write_dictionary(study, directory, name, row_count):
    """The data dictionary, as CSV (one line per column) and Markdown (with the study's frame)."""
    csv_path, md_path = directory / f"{name}-dictionnaire.csv", directory / f"{name}-dictionnaire.md"
    with open(csv_path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv_writer(handle)
        writer.writerow(["colonne", "type", "definition", "source"])
        for column in COLUMNS:
            writer.writerow([column.name, str(column.type), column.definition, column.source])
    lines = [
        f"# Dictionnaire des données — {study.name}",
        "",
        f"- Finalité : {study.purpose}",
        f"- Périmètre : {study.scope_label}",
        f"- Population : parcours entrés du {study.period_from:%d/%m/%Y} au {study.period_to:%d/%m/%Y} "
        f"(une ligne par parcours, {row_count} ligne(s))",
        f"- Produit le : {timezone.localtime():%d/%m/%Y à %H:%M}",
        "- Fichiers : CSV (UTF-8, séparateur « ; », dates AAAA-MM-JJ, valeur absente = champ vide) et Parquet "
        "(mêmes colonnes, typées).",
        "- Pseudonymisation : aucun nom, adresse, identifiant ni texte libre ; la naissance est réduite à "
        "l'année et au mois ; l'identifiant de personne est propre à l'étude.",
        "",
        "| Colonne | Type | Définition | Source |",
        "|---|---|---|---|",
        *[f"| `{c.name}` | {c.type} | {c.definition} | {c.source} |" for c in COLUMNS],
        "",
    ]
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [csv_path, md_path]


def write_extract(study, directory, *, progress=None):
    """Write the CSV, the Parquet and the dictionary into `directory`; nothing is kept elsewhere."""
    key = study_key()
    directory = Path(directory)
    name = base_name(study)
    csv_path, parquet_path = directory / f"{name}.csv", directory / f"{name}.parquet"
    row_count = 0
    with (
        open(csv_path, "w", newline="", encoding="utf-8-sig") as handle,
        pq.ParquetWriter(parquet_path, SCHEMA) as parquet,
    ):
        writer = csv_writer(handle)
        writer.writerow(COLUMN_NAMES)
        for rows in extract_rows(study, key):
            writer.writerows([_csv_value(row[column]) for column in COLUMN_NAMES] for row in rows)
            parquet.write_table(pa.Table.from_pylist(rows, schema=SCHEMA))
            row_count += len(rows)
            if progress is not None:
                progress(len(rows))
        if row_count == 0:  # an empty extract still carries its schema
            parquet.write_table(SCHEMA.empty_table())
    dictionary = write_dictionary(study, directory, name, row_count)
    return Extract(
        study=study,
        row_count=row_count,
        csv_path=csv_path,
        parquet_path=parquet_path,
        dictionary_paths=dictionary,
        csv_sha256=_sha256(csv_path),
        parquet_sha256=_sha256(parquet_path),
    )


def run_extract(study, directory, *, by, channel, progress=None):
    """Write the extract and log it (who, when, rows, checksums)."""
    extract = write_extract(study, directory, progress=progress)
    extract.export = services.record_export(
        study=study,
        channel=channel,
        row_count=extract.row_count,
        csv_sha256=extract.csv_sha256,
        parquet_sha256=extract.parquet_sha256,
        by=by,
    )
    return extract


def zip_extract(extract, handle):
    """Pack the extract's files into the open binary file `handle`."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in extract.paths:
            archive.write(path, arcname=path.name)
    handle.seek(0)
    return handle
