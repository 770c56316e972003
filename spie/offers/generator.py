"""Realistic data·inclusion records for the demo and the national-scale benchmark.

Structures and services are placed in real COG communes (weighted towards the populous ones) and
use the real vocabularies; names follow what insertion services are usually called.
"""

import datetime
import itertools

from spie.referentials.enums import Vocabulary
from spie.referentials.models import VocabularyTerm

SERVICE_NAMES = {
    "mobilite": ["Auto-école sociale", "Garage solidaire", "Location de scooters solidaire", "Plateforme mobilité"],
    "logement-hebergement": ["Accompagnement vers le logement", "Permanence logement", "Aide aux impayés de loyer"],
    "numerique": ["Atelier numérique pour débutants", "Point d'accès numérique", "Ordinateurs reconditionnés"],
    "sante": ["Permanence d'accès aux soins", "Point écoute santé", "Aide au dossier MDPH"],
    "famille": ["Halte-garderie à horaires adaptés", "Soutien à la parentalité", "Écoute familles"],
    "difficultes-financieres": ["Point conseil budget", "Microcrédit personnel", "Aide à la gestion du budget"],
    "equipement-et-alimentation": ["Épicerie solidaire", "Vestiaire solidaire", "Banque alimentaire"],
    "lecture-ecriture-calcul": ["Cours de français langue étrangère", "Atelier savoirs de base"],
    "trouver-un-emploi": ["Job dating", "Club de recherche d'emploi", "Parrainage vers l'emploi"],
    "preparer-sa-candidature": ["Atelier CV et lettre de motivation", "Simulation d'entretien d'embauche"],
    "choisir-un-metier": ["Découverte des métiers", "Immersion en entreprise", "Bilan de compétences"],
    "se-former": ["Formation pré-qualifiante", "Point information formation"],
    "creer-une-entreprise": ["Couveuse d'entreprises", "Accompagnement à la création d'activité"],
    "remobilisation": ["Atelier confiance en soi", "Activités sportives et culturelles", "Chantier bénévole"],
    "difficultes-administratives-ou-juridiques": ["Permanence d'accès aux droits", "Écrivain public"],
    "souvrir-a-linternational": ["Information mobilité internationale"],
}
STRUCTURE_KINDS = [
    ("Centre social", ["fcsf"]),
    ("CCAS", ["ccas-cias"]),
    ("Mission locale", ["mission-locale"]),
    ("Maison France services", ["france-service"]),
    ("Association d'insertion", ["inae"]),
    ("Secours populaire", ["secours-populaire"]),
    ("Restos du cœur", ["restos-du-coeur"]),
    ("Atelier chantier d'insertion", ["aci"]),
]
STREETS = ["rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "place de la Mairie", "rue Pasteur"]
DESCRIPTION = (
    "{name} : un accompagnement de proximité, individuel ou collectif, pour lever ce frein et avancer vers "
    "l'emploi. Sur rendez-vous ou lors des permanences ; orientation possible par un professionnel."
)


class Generator:
    def __init__(self, rng, communes, *, source="generateur"):
        """`communes`: list of (insee_code, name, postal_code, departement_code, epci_siren, population)."""
        self.rng, self.source = rng, source
        self.communes = communes
        self.by_code = {commune[0]: commune for commune in communes}
        self.cum_weights = list(itertools.accumulate(max(population or 1, 1) ** 0.5 for *_, population in communes))
        terms = VocabularyTerm.objects.values_list("vocabulary", "value", "parent_value")
        self.sub_themes = {}
        self.vocabulary = {}
        for vocabulary, value, parent in terms:
            if vocabulary == Vocabulary.THEMATIQUES:
                if parent:
                    self.sub_themes.setdefault(parent, []).append(value)
            else:
                self.vocabulary.setdefault(vocabulary, []).append(value)
        self.categories = sorted(set(SERVICE_NAMES) & set(self.sub_themes))
        self.today = datetime.date.today()

    def _commune(self):
        return self.rng.choices(self.communes, cum_weights=self.cum_weights)[0]

    def structure(self, number, commune=None, *, siret=None):
        rng = self.rng
        code, name, postal_code, *_ = commune or self._commune()
        kind, networks = rng.choice(STRUCTURE_KINDS)
        return {
            "source": self.source,
            "id": f"{self.source}--s{number}",
            "nom": f"{kind} de {name}"[:150].rstrip("."),
            "date_maj": (self.today - datetime.timedelta(days=rng.randint(0, 700))).isoformat(),
            "siret": siret,
            "adresse": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "code_postal": postal_code or None,
            "code_insee": code,
            "commune": name,
            "telephone": f"+333{rng.randint(10000000, 99999999)}",
            "courriel": f"contact{number}@structure-{code.lower()}.fr",
            "reseaux_porteurs": networks,
        }

    def service(self, number, structure):
        rng = self.rng
        category = rng.choice(self.categories)
        name = rng.choice(SERVICE_NAMES[category])
        thematiques = rng.sample(self.sub_themes[category], k=min(len(self.sub_themes[category]), rng.randint(1, 3)))
        draw = rng.random()
        modes = (
            ["en-presentiel"] if draw < 0.85 else (["en-presentiel", "a-distance"] if draw < 0.95 else ["a-distance"])
        )
        commune = self.by_code.get(structure["code_insee"]) or self._commune()
        code, commune_name, postal_code, departement, epci, _ = commune
        zone_draw = rng.random()
        if modes == ["a-distance"]:
            zone = [departement] if zone_draw < 0.7 else ["france"]
        elif zone_draw < 0.5:
            zone = [departement]
        elif zone_draw < 0.6 and epci:
            zone = [epci]
        else:
            zone = None
        return {
            "source": self.source,
            "id": f"{self.source}--{number}",
            "structure_id": structure["id"],
            "nom": f"{name} — {commune_name}"[:150],
            "description": DESCRIPTION.format(name=name),
            "date_maj": (self.today - datetime.timedelta(days=rng.randint(0, 540))).isoformat(),
            "type": rng.choice(self.vocabulary[Vocabulary.TYPES_DE_SERVICES]),
            "thematiques": thematiques,
            "publics": rng.sample(self.vocabulary[Vocabulary.PUBLICS], k=rng.randint(1, 2)),
            "frais": "gratuit" if rng.random() < 0.85 else "payant",
            "modes_accueil": modes,
            "modes_mobilisation": rng.sample(self.vocabulary[Vocabulary.MODES_MOBILISATION], k=rng.randint(1, 2)),
            "mobilisable_par": ["professionnels", "usagers"] if rng.random() < 0.6 else ["professionnels"],
            "adresse": structure["adresse"],
            "code_postal": postal_code or None,
            "code_insee": code,
            "commune": commune_name,
            "courriel": structure["courriel"],
            "zone_eligibilite": zone,
            "volume_horaire_hebdomadaire": rng.choice([None, 2, 3, 6, 10]),
        }

    def records(self, services, *, per_structure=3, start=0):
        """{"structures": [...], "services": [...]} with about `per_structure` services each."""
        structures, items = [], []
        for number in range(start, start + services):
            if number % per_structure == 0 or not structures:
                structures.append(self.structure(number))
            items.append(self.service(number, structures[-1]))
        return {"structures": structures, "services": items}


def commune_rows(queryset):
    """(insee code, name, first postal code, département, EPCI, population) of communes with a centre."""
    rows = queryset.values_list(
        "insee_code", "name", "postal_codes", "departement__code", "epci__siren", "population", "latitude"
    )
    return [
        (code, name, (postal or "").split("|")[0], dep, epci or "", pop)
        for code, name, postal, dep, epci, pop, latitude in rows
        if latitude is not None
    ]
