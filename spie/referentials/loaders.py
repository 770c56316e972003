"""Loaders of the national referentials from the files of `spie/referentials/data/`.

Each loader takes the data directory (default: the files shipped with the code, see
`data/README.md`) and an optional progress factory, and returns `LoadResult`s. They are
idempotent and set-based (see `sync.py`); `manage.py load_referentials` runs them all.
"""

import csv
import datetime
import json
from pathlib import Path

from django.db import transaction

from spie.core.text import normalize_for_search

from .enums import ThemeFamily, Vocabulary
from .models import (
    Action,
    NafActivity,
    NafDivisionJob,
    Objective,
    ReferentialVersion,
    RomeAppellation,
    RomeDomain,
    RomeJob,
    Situation,
    Theme,
    VocabularyTerm,
)
from .sync import LoadError, LoadResult, id_map, sync_rows

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

NAF_VERSION = "NAF rév. 2"

PATHWAY_VERSION = {
    "code": "2024",
    "label": "Référentiel du parcours d'insertion, état 2024",
    "source": "Libellés du référentiel du carnet de bord du parcours SPIE (état final, février 2024)",
    "published_on": datetime.date(2024, 2, 1),
}

VOCABULARY_FILES = {
    Vocabulary.THEMATIQUES: "thematiques_v1.csv",
    Vocabulary.TYPES_DE_SERVICES: "types_de_services_v1.csv",
    Vocabulary.PUBLICS: "publics_v1.csv",
    Vocabulary.FRAIS: "frais_v1.csv",
    Vocabulary.MODES_ACCUEIL: "modes_accueil_v1.csv",
    Vocabulary.MODES_MOBILISATION: "modes_mobilisation_v1.csv",
    Vocabulary.PERSONNE_MOBILISATRICE: "personne_mobilisatrice_v1.csv",
    Vocabulary.RESEAUX_PORTEURS: "reseaux_porteurs_v1.csv",
    Vocabulary.TYPOLOGIES_STRUCTURES: "typologies_de_structures_v0.csv",
}

# The data·inclusion thématiques are "category--sub-theme"; the files only label the sub-themes.
THEMATIQUE_CATEGORIES = {
    "choisir-un-metier": "Choisir un métier",
    "creer-une-entreprise": "Créer une entreprise",
    "difficultes-administratives-ou-juridiques": "Difficultés administratives ou juridiques",
    "difficultes-financieres": "Difficultés financières",
    "equipement-et-alimentation": "Équipement et alimentation",
    "famille": "Famille",
    "lecture-ecriture-calcul": "Lecture, écriture, calcul",
    "logement-hebergement": "Logement, hébergement",
    "mobilite": "Mobilité",
    "numerique": "Numérique",
    "preparer-sa-candidature": "Préparer sa candidature",
    "remobilisation": "Remobilisation",
    "sante": "Santé",
    "se-former": "Se former",
    "souvrir-a-linternational": "S'ouvrir à l'international",
    "trouver-un-emploi": "Trouver un emploi",
}


def read_csv(path, required):
    """The rows of a UTF-8 CSV as dicts; a missing file or column is a `LoadError`."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                raise LoadError(f"{path.name} : colonne(s) absente(s) : {', '.join(missing)}.")
            return [{name: (value or "").strip() for name, value in row.items()} for row in reader]
    except FileNotFoundError as error:
        raise LoadError(f"Fichier introuvable : {path}.") from error


def read_json(path):
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise LoadError(f"Fichier introuvable : {path}.") from error
    except json.JSONDecodeError as error:
        raise LoadError(f"{path.name} n'est pas un JSON valable (ligne {error.lineno}).") from error


@transaction.atomic
def load_rome(data_dir=DEFAULT_DATA_DIR, progress=None):
    """ROME 4.0: grands domaines, domaines professionnels, fiches métiers, appellations, NAF → ROME."""
    rome = Path(data_dir) / "rome"
    big_domains = read_csv(rome / "rome_grands_domaines.csv", ["domain", "domain_libelle"])
    domains = read_csv(rome / "rome_domaines_professionnels.csv", ["domain", "metier", "metier_libelle"])
    jobs = read_csv(rome / "unix_referentiel_code_rome_v460_utf8.csv", ["code_rome", "libelle_rome"])
    titles = read_csv(
        rome / "unix_referentiel_appellation_v460_utf8.csv",
        ["code_ogr", "libelle_appellation_long", "code_rome"],
    )
    sectors = read_json(rome / "secteurs_naf_rome.json")

    domain_result = sync_rows(
        RomeDomain,
        [{"code": d["domain"], "label": d["domain_libelle"], "parent_id": None} for d in big_domains],
        key=["code"],
        fields=["label", "parent_id"],
        label="grands domaines ROME",
        progress=progress,
    )
    domain_ids = id_map(RomeDomain.objects.all(), "code")
    rows = []
    for line, item in enumerate(domains, start=2):
        if item["domain"] not in domain_ids:
            raise LoadError(
                f"rome_domaines_professionnels.csv, ligne {line} : grand domaine « {item['domain']} » inconnu."
            )
        rows.append({"code": item["metier"], "label": item["metier_libelle"], "parent_id": domain_ids[item["domain"]]})
    domain_result += sync_rows(
        RomeDomain,
        rows,
        key=["code"],
        fields=["label", "parent_id"],
        label="domaines professionnels ROME",
        progress=progress,
    )
    domain_result.label = "domaines ROME"
    results = [domain_result]

    domain_ids = id_map(RomeDomain.objects.all(), "code")
    rows = []
    for line, item in enumerate(jobs, start=2):
        domain_id = domain_ids.get(item["code_rome"][:3])
        if domain_id is None:
            raise LoadError(
                f"unix_referentiel_code_rome_v460_utf8.csv, ligne {line} : domaine professionnel "
                f"« {item['code_rome'][:3]} » inconnu."
            )
        rows.append(
            {
                "code": item["code_rome"],
                "label": item["libelle_rome"],
                "search_label": normalize_for_search(item["libelle_rome"]),
                "domain_id": domain_id,
            }
        )
    results.append(
        sync_rows(
            RomeJob,
            rows,
            key=["code"],
            fields=["label", "search_label", "domain_id"],
            label="métiers ROME",
            progress=progress,
        )
    )

    job_ids = id_map(RomeJob.objects.all(), "code")
    rows = []
    for line, item in enumerate(titles, start=2):
        job_id = job_ids.get(item["code_rome"])
        if job_id is None:
            raise LoadError(
                f"unix_referentiel_appellation_v460_utf8.csv, ligne {line} : fiche ROME "
                f"« {item['code_rome']} » inconnue."
            )
        rows.append(
            {
                "code_ogr": item["code_ogr"],
                "label": item["libelle_appellation_long"],
                "search_label": normalize_for_search(item["libelle_appellation_long"]),
                "job_id": job_id,
            }
        )
    results.append(
        sync_rows(
            RomeAppellation,
            rows,
            key=["code_ogr"],
            fields=["label", "search_label", "job_id"],
            label="appellations ROME",
            progress=progress,
        )
    )

    rows = []
    for division, sector in sectors.items():
        for job in sector.get("codes_rome", []):
            if job["code"] not in job_ids:
                raise LoadError(f"secteurs_naf_rome.json : fiche ROME « {job['code']} » inconnue.")
            rows.append({"division_code": division.zfill(2), "job_id": job_ids[job["code"]]})
    results.append(
        sync_rows(
            NafDivisionJob,
            rows,
            key=["division_code", "job_id"],
            fields=[],
            label="liens NAF → ROME",
            progress=progress,
            delete_missing=True,
        )
    )
    return results


@transaction.atomic
def load_naf(data_dir=DEFAULT_DATA_DIR, progress=None):
    """NAF rév. 2 sub-classes with their division and section."""
    items = read_csv(
        Path(data_dir) / "naf" / "naf_rev2_sous_classes.csv",
        ["code", "libelle", "division", "division_libelle", "section", "section_libelle"],
    )
    rows = [
        {
            "version": NAF_VERSION,
            "code": item["code"],
            "label": item["libelle"],
            "search_label": normalize_for_search(item["libelle"]),
            "division_code": item["division"],
            "division_label": item["division_libelle"],
            "section_code": item["section"],
            "section_label": item["section_libelle"],
        }
        for item in items
    ]
    return [
        sync_rows(
            NafActivity,
            rows,
            key=["version", "code"],
            fields=[
                "label",
                "search_label",
                "division_code",
                "division_label",
                "section_code",
                "section_label",
            ],
            label="activités NAF",
            queryset=NafActivity.objects.filter(version=NAF_VERSION),
            progress=progress,
        )
    ]


@transaction.atomic
def load_pathway_referential(
    data_dir=DEFAULT_DATA_DIR,
    progress=None,
    *,
    code=PATHWAY_VERSION["code"],
    label=PATHWAY_VERSION["label"],
    source=PATHWAY_VERSION["source"],
    published_on=PATHWAY_VERSION["published_on"],
    make_current=True,
):
    """Themes, situations, objectives and actions of one referential version.

    Only the rows of the version `code` are created or updated: another version's rows are
    never read nor written, so user data pointing at them keeps its meaning. With
    `make_current`, a newly created version (or the only one) becomes the version in force.
    """
    folder = Path(data_dir) / "referentiel"
    themes = read_csv(folder / "themes.csv", ["code", "libelle", "famille"])
    items = {
        Situation: read_csv(folder / "situations.csv", ["code", "theme", "libelle"]),
        Objective: read_csv(folder / "objectifs.csv", ["code", "theme", "libelle"]),
        Action: read_csv(folder / "actions.csv", ["code", "theme", "libelle"]),
    }

    version, created = ReferentialVersion.objects.get_or_create(
        code=code, defaults={"label": label, "source": source, "published_on": published_on}
    )
    version_result = LoadResult("versions du référentiel", total=1, created=int(created))
    if not created and (version.label, version.source, version.published_on) != (label, source, published_on):
        version.label, version.source, version.published_on = label, source, published_on
        version.save(update_fields=["label", "source", "published_on"])
        version_result.updated = 1
    # A reload never takes the "current" mark back from a newer version loaded since.
    if make_current and not version.is_current and (created or not ReferentialVersion.objects.current()):
        ReferentialVersion.objects.filter(is_current=True).update(is_current=False)
        ReferentialVersion.objects.filter(pk=version.pk).update(is_current=True)
        version.is_current = True
        version_result.updated = int(not created)
    version_result.unchanged = 1 - version_result.created - version_result.updated
    results = [version_result]

    theme_rows = []
    for position, item in enumerate(themes, start=1):
        if item["famille"] not in ThemeFamily.values:
            raise LoadError(
                f"themes.csv, ligne {position + 1} : famille « {item['famille']} » inconnue "
                f"(attendu : {', '.join(ThemeFamily.values)})."
            )
        theme_rows.append(
            {
                "version_id": version.pk,
                "code": item["code"],
                "label": item["libelle"],
                "family": item["famille"],
                "position": position,
            }
        )
    results.append(
        sync_rows(
            Theme,
            theme_rows,
            key=["version_id", "code"],
            fields=["label", "family", "position"],
            label="thèmes",
            queryset=Theme.objects.filter(version=version),
            progress=progress,
        )
    )

    theme_ids = id_map(Theme.objects.filter(version=version), "code")
    labels = {Situation: "situations", Objective: "objectifs", Action: "actions"}
    files = {Situation: "situations.csv", Objective: "objectifs.csv", Action: "actions.csv"}
    for model, source_rows in items.items():
        rows = []
        for position, item in enumerate(source_rows, start=1):
            if item["theme"] not in theme_ids:
                raise LoadError(
                    f"{files[model]}, ligne {position + 1} : thème « {item['theme']} » inconnu dans la version {code}."
                )
            rows.append(
                {
                    "version_id": version.pk,
                    "theme_id": theme_ids[item["theme"]],
                    "code": item["code"],
                    "label": item["libelle"],
                    "position": position,
                }
            )
        results.append(
            sync_rows(
                model,
                rows,
                key=["version_id", "code"],
                fields=["theme_id", "label", "position"],
                label=labels[model],
                queryset=model.objects.filter(version=version),
                progress=progress,
            )
        )
    return results


@transaction.atomic
def load_vocabularies(data_dir=DEFAULT_DATA_DIR, progress=None):
    """Every data·inclusion vocabulary, with the 16 categories of the thématiques."""
    folder = Path(data_dir) / "data-inclusion"
    rows = []
    for vocabulary, filename in VOCABULARY_FILES.items():
        terms = read_csv(folder / filename, ["value", "label", "description"])
        if vocabulary == Vocabulary.THEMATIQUES:
            categories = dict.fromkeys(term["value"].split("--")[0] for term in terms)
            rows.extend(
                {
                    "vocabulary": vocabulary.value,
                    "value": category,
                    "label": THEMATIQUE_CATEGORIES.get(category) or category.replace("-", " ").capitalize(),
                    "description": "",
                    "parent_value": "",
                }
                for category in categories
            )
        for term in terms:
            parent = term["value"].split("--")[0] if "--" in term["value"] else ""
            rows.append(
                {
                    "vocabulary": vocabulary.value,
                    "value": term["value"],
                    "label": term["label"],
                    "description": term["description"] or "",
                    "parent_value": parent if vocabulary == Vocabulary.THEMATIQUES else "",
                }
            )
    return [
        sync_rows(
            VocabularyTerm,
            rows,
            key=["vocabulary", "value"],
            fields=["label", "description", "parent_value"],
            label="termes data·inclusion",
            progress=progress,
        )
    ]


def load_all(data_dir=DEFAULT_DATA_DIR, progress=None):
    """Every referential of this app and the COG, in dependency order."""
    from spie.territories.geography import load_geography

    results = []
    results += load_geography(data_dir, progress)
    results += load_rome(data_dir, progress)
    results += load_naf(data_dir, progress)
    results += load_pathway_referential(data_dir, progress)
    results += load_vocabularies(data_dir, progress)
    return results
