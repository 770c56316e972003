"""data·inclusion schema v1: checking a structure or service record, and writing one back.

The fields and their rules follow `spie/referentials/data/data-inclusion/schemas/*.json`; the
closed lists come from the data·inclusion vocabularies loaded in `VocabularyTerm`. Every problem
is returned as (field, reason in French), so that callers can name the record, the field and why.
"""

import datetime
import hashlib
import json
import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from spie.core.imports import EARLIEST_YEAR, LATEST_YEAR
from spie.core.validators import validate_siret
from spie.referentials.enums import Vocabulary
from spie.referentials.models import VocabularyTerm

INSEE_RE = re.compile(r"^\w{5}$")
POSTAL_RE = re.compile(r"^\d{5}$")
ZONE_RES = (
    re.compile(r"^\w{5}$"),  # commune (or foreign country 99xxx)
    re.compile(r"^\w{2,3}$"),  # département
    re.compile(r"^\d{9}$"),  # EPCI
)
NATIONAL_ZONE = {"france", "99100"}
_url = URLValidator(schemes=["http", "https"])

# data·inclusion field → model field, for the plain text fields.
STRUCTURE_TEXT = {
    "nom": "name",
    "siret": "siret",
    "description": "description",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "code_postal": "postal_code",
    "code_insee": "code_insee",
    "commune": "commune_name",
    "telephone": "phone",
    "courriel": "email",
    "site_web": "website",
    "lien_source": "source_link",
    "horaires_accueil": "opening_hours",
    "accessibilite_lieu": "accessibility_link",
}
SERVICE_TEXT = {
    "nom": "name",
    "description": "description",
    "type": "kind",
    "publics_precisions": "publics_details",
    "frais": "fees",
    "frais_precisions": "fees_details",
    "conditions_acces": "access_conditions",
    "mobilisation_precisions": "mobilisation_details",
    "lien_mobilisation": "mobilisation_link",
    "lien_source": "source_link",
    "telephone": "phone",
    "courriel": "email",
    "contact_nom_prenom": "contact_name",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "code_postal": "postal_code",
    "code_insee": "code_insee",
    "commune": "commune_name",
    "horaires_accueil": "opening_hours",
}
SERVICE_LISTS = {
    "thematiques": ("thematiques", Vocabulary.THEMATIQUES),
    "publics": ("publics", Vocabulary.PUBLICS),
    "modes_accueil": ("reception_modes", Vocabulary.MODES_ACCUEIL),
    "modes_mobilisation": ("mobilisation_modes", Vocabulary.MODES_MOBILISATION),
    "mobilisable_par": ("mobilisable_by", Vocabulary.PERSONNE_MOBILISATRICE),
}
SINGLE_VOCABULARIES = {"type": Vocabulary.TYPES_DE_SERVICES, "frais": Vocabulary.FRAIS}
URL_FIELDS = {"site_web", "lien_source", "lien_mobilisation", "accessibilite_lieu"}
MAX_LENGTHS = {"nom": 150, "description": 10000, "adresse": 255, "complement_adresse": 255, "commune": 255}
MAX_LENGTHS |= {"telephone": 50, "contact_nom_prenom": 255, "horaires_accueil": 500, "courriel": 254}
MAX_NUMBER = 2**31 - 1  # the largest value an integer column holds
MAX_LENGTHS |= {"source": 100, "structure_id": 255}
MAX_LENGTHS |= {"lien_source": 2083, "lien_mobilisation": 2083, "site_web": 2083, "accessibilite_lieu": 2083}

STRUCTURE_FIELDS = [
    "source",
    "id",
    "nom",
    "date_maj",
    "siret",
    "description",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "site_web",
    "lien_source",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
]
SERVICE_FIELDS = [
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "date_maj",
    "type",
    "thematiques",
    "publics",
    "publics_precisions",
    "frais",
    "frais_precisions",
    "conditions_acces",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "lien_mobilisation",
    "lien_source",
    "telephone",
    "courriel",
    "contact_nom_prenom",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "horaires_accueil",
    "zone_eligibilite",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
]
LIST_FIELDS = {"thematiques", "publics", "modes_accueil", "modes_mobilisation", "mobilisable_par"}
LIST_FIELDS |= {"zone_eligibilite", "reseaux_porteurs"}


@dataclass
class Vocabularies:
    """The allowed values of each data·inclusion vocabulary (loaded once per import)."""

    values: dict
    labels: dict

    @classmethod
    def load(cls):
        values, labels = {}, {}
        for vocabulary, value, label, parent in VocabularyTerm.objects.values_list(
            "vocabulary", "value", "label", "parent_value"
        ):
            # The 16 thématique categories are stored too; a service names sub-themes only.
            if vocabulary == Vocabulary.THEMATIQUES and not parent:
                labels[(vocabulary, value)] = label
                continue
            values.setdefault(vocabulary, set()).add(value)
            labels[(vocabulary, value)] = label
        return cls(values, labels)

    def allowed(self, vocabulary):
        return self.values.get(vocabulary, set())

    def label(self, vocabulary, value):
        return self.labels.get((vocabulary, value), value)


class Problems(list):
    def add(self, field, reason):
        self.append((field, reason))


def _present(value):
    return value is not None and value != "" and value != []


def _text(record, key, problems, *, required=False, min_length=None):
    value = record.get(key)
    if not _present(value):
        if required:
            problems.add(key, "champ obligatoire manquant")
        return ""
    if not isinstance(value, str):
        problems.add(key, "texte attendu")
        return ""
    value = value.strip()
    if "\x00" in value:
        problems.add(key, "contient un caractère nul (fichier binaire ou mal encodé ?)")
        return ""
    if min_length and len(value) < min_length:
        problems.add(key, f"trop court ({len(value)} caractères, au moins {min_length})")
    if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
        problems.add(key, f"trop long ({len(value)} caractères, au plus {MAX_LENGTHS[key]})")
    return value


def _date(record, key, problems):
    value = record.get(key)
    if not _present(value):
        problems.add(key, "champ obligatoire manquant")
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        parsed = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.add(key, f"date « {str(value)[:40]} » invalide (attendu AAAA-MM-JJ)")
        return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        problems.add(key, f"date « {parsed.isoformat()} » hors des années {EARLIEST_YEAR} à {LATEST_YEAR}")
        return None
    return parsed


def _number(record, key, problems, *, integer=False, minimum=None):
    value = record.get(key)
    if not _present(value):
        return None
    if isinstance(value, str):  # CSV cells, possibly with a French decimal comma
        value = value.strip().replace(",", ".")
    try:
        number = int(float(value)) if integer else float(value)
        if (integer and float(value) != number) or not math.isfinite(number) or abs(number) > MAX_NUMBER:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        problems.add(key, f"« {str(value)[:40]} » n'est pas un {'nombre entier' if integer else 'nombre'}")
        return None
    if minimum is not None and number < minimum:
        problems.add(key, f"{number} est inférieur au minimum {minimum}")
        return None
    return number


def _list(record, key, problems):
    value = record.get(key)
    if not _present(value):
        return []
    if isinstance(value, str):  # CSV cells: values separated by | or ,
        value = [part.strip() for part in re.split(r"[|,]", value) if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(key, "liste de textes attendue")
        return []
    if len(set(value)) != len(value):
        problems.add(key, "valeurs en double dans la liste")
    return list(dict.fromkeys(value))


def _vocabulary_list(record, key, vocabulary, vocabularies, problems):
    values = _list(record, key, problems)
    allowed = vocabularies.allowed(vocabulary)
    for value in values:
        if value not in allowed:
            label = Vocabulary(vocabulary).label.lower()
            problems.add(key, f"valeur « {value} » absente du vocabulaire data·inclusion des {label}")
    return [value for value in values if value in allowed]


def _common_checks(record, values, problems, text_map):
    """Formats shared by structures and services: codes, e-mail, links, coordinates."""
    for key, field in text_map.items():
        if key in ("nom", "description") or key in SINGLE_VOCABULARIES:
            continue
        values[field] = _text(record, key, problems)
    if values.get("code_insee") and not INSEE_RE.match(values["code_insee"]):
        problems.add("code_insee", f"« {values['code_insee']} » invalide (5 caractères)")
    if values.get("postal_code") and not POSTAL_RE.match(values["postal_code"]):
        problems.add("code_postal", f"« {values['postal_code']} » invalide (5 chiffres)")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.add("courriel", f"« {values['email']} » n'est pas une adresse e-mail valide")
    for key in URL_FIELDS & set(text_map):
        link = values.get(text_map[key])
        if link:
            try:
                _url(link)
            except ValidationError:
                problems.add(key, f"« {link[:80]} » n'est pas un lien valide (http:// ou https://)")
    values["latitude"] = _number(record, "latitude", problems)
    values["longitude"] = _number(record, "longitude", problems)
    if values["latitude"] is not None and not -90 <= values["latitude"] <= 90:
        problems.add("latitude", "doit être comprise entre -90 et 90")
    if values["longitude"] is not None and not -180 <= values["longitude"] <= 180:
        problems.add("longitude", "doit être comprise entre -180 et 180")


def _identity(record, problems):
    source = _text(record, "source", problems, required=True)
    record_id = _text(record, "id", problems, required=True)
    if len(record_id) > 255:
        problems.add("id", "trop long (255 caractères au plus)")
    return source, record_id


def check_structure(record, vocabularies):
    """Model values of a structure record, and its problems."""
    problems = Problems()
    if not isinstance(record, dict):
        return {}, Problems([("", "objet JSON attendu")])
    values = {}
    values["source"], values["source_id"] = _identity(record, problems)
    name = _text(record, "nom", problems, required=True, min_length=3)
    if name.endswith("."):
        problems.add("nom", "ne doit pas se terminer par un point")
    values["name"] = name
    values["description"] = _text(record, "description", problems, min_length=5)
    values["updated_on"] = _date(record, "date_maj", problems)
    _common_checks(record, values, problems, STRUCTURE_TEXT)
    if values.get("siret"):
        try:
            validate_siret(values["siret"])
        except ValidationError as error:
            problems.add("siret", f"« {values['siret']} » : {error.messages[0]}")
    values["networks"] = _vocabulary_list(
        record, "reseaux_porteurs", Vocabulary.RESEAUX_PORTEURS, vocabularies, problems
    )
    return values, problems


def check_service(record, vocabularies):
    """Model values of a service record (its structure as `structure_key`), and its problems."""
    problems = Problems()
    if not isinstance(record, dict):
        return {}, Problems([("", "objet JSON attendu")])
    values = {}
    values["source"], values["source_id"] = _identity(record, problems)
    values["structure_key"] = _text(record, "structure_id", problems, required=True)
    values["name"] = _text(record, "nom", problems, required=True, min_length=3)
    values["description"] = _text(record, "description", problems, required=True, min_length=5)
    values["updated_on"] = _date(record, "date_maj", problems)
    _common_checks(record, values, problems, SERVICE_TEXT)
    for key, vocabulary in SINGLE_VOCABULARIES.items():
        value = _text(record, key, problems)
        if value and value not in vocabularies.allowed(vocabulary):
            label = Vocabulary(vocabulary).label.lower()
            problems.add(key, f"valeur « {value} » absente du vocabulaire data·inclusion des {label}")
            value = ""
        values[SERVICE_TEXT[key]] = value
    for key, (field, vocabulary) in SERVICE_LISTS.items():
        values[field] = _vocabulary_list(record, key, vocabulary, vocabularies, problems)
    zone = _list(record, "zone_eligibilite", problems)
    for code in zone:
        if code not in NATIONAL_ZONE and not any(pattern.match(code) for pattern in ZONE_RES):
            problems.add(
                "zone_eligibilite",
                f"code « {code} » invalide (commune, département, EPCI, pays ou « france »)",
            )
    values["eligibility_zone"] = zone or None
    values["weekly_hours"] = _number(record, "volume_horaire_hebdomadaire", problems, minimum=0)
    values["weeks"] = _number(record, "nombre_semaines", problems, integer=True, minimum=1)
    return values, problems


def content_hash(values):
    """A stable fingerprint of a record's values: equal means the re-import changes nothing."""
    payload = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _out(value):
    return value if value not in ("", []) else None


def structure_record(structure):
    """The data·inclusion record of a structure (the inverse of `check_structure`)."""
    record = {"source": structure.source, "id": structure.source_id}
    for key, field in STRUCTURE_TEXT.items():
        record[key] = _out(getattr(structure, field))
    record["date_maj"] = structure.updated_on.isoformat()
    record["latitude"], record["longitude"] = structure.latitude, structure.longitude
    record["reseaux_porteurs"] = _out(structure.networks)
    return {key: record.get(key) for key in STRUCTURE_FIELDS}


def service_record(offer, structure_source_id=None):
    """The data·inclusion record of a service (the inverse of `check_service`)."""
    record = {
        "source": offer.source,
        "id": offer.source_id,
        "structure_id": structure_source_id or offer.structure.source_id,
    }
    for key, field in SERVICE_TEXT.items():
        record[key] = _out(getattr(offer, field))
    for key, (field, _) in SERVICE_LISTS.items():
        record[key] = _out(getattr(offer, field))
    record["date_maj"] = offer.updated_on.isoformat()
    record["latitude"], record["longitude"] = offer.latitude, offer.longitude
    record["zone_eligibilite"] = offer.eligibility_zone or None
    record["volume_horaire_hebdomadaire"] = offer.weekly_hours
    record["nombre_semaines"] = offer.weeks
    return {key: record.get(key) for key in SERVICE_FIELDS}
