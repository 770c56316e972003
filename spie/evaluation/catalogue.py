"""The catalogue of indicators: one definition per indicator (code, French label, what is counted
and from which dates, unit, target and direction, maturity of the delay indicators).

Pages, CSV exports and the API all read this registry and the values of `compute.py`.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from spie.companies.policies import CONTACT_RESPONSE_WINDOW_DAYS
from spie.pathways.dates import add_months

# Steering delays with no territory setting (the others come from `spie.territories.policies`).
# First seen appointment within 30 days of the orientation: the SPIE steering target of the issue
# « premier accompagnement », read beside the Réseau pour l'emploi indicator « délai entre
# l'inscription et le début de l'accompagnement » (arrêté du 14 mars 2025).
FIRST_ACCOMPANIMENT_TARGET_DAYS = 30
# A person is followed regularly when seen at least once in this many days (the alert of the
# point de situation uses the territory's `no_seen_appointment_alert_days`, 60 by default).
# Case reviews: the referral is discussed at a session within this many days (SPIE steering).
CASE_REVIEW_TARGET_DAYS = 30
# Offers of the directory are flagged as stale after the territory's `offer_stale_months`.

DIMENSIONS = {
    "territory": "Territoire",
    "structure": "Structure",
    "pathway_type": "Type de parcours",
    "entry_month": "Mois d'entrée",
    "period": "Période",
}
PATHWAY_DIMENSIONS = frozenset(DIMENSIONS)
PERSON_DIMENSIONS = frozenset({"territory", "structure", "entry_month", "period"})
TERRITORY_ONLY = frozenset({"territory"})


@dataclass(frozen=True)
class Maturity:
    """A delay indicator counts only the monthly cohorts whose target delay has fully elapsed."""

    start: str  # French name of the date that opens the cohort, e.g. « entrée »
    days: object = None  # callable(policy) -> days
    months: object = None  # callable(policy) -> months

    def delay(self, policy):
        return (self.days(policy) if self.days else 0), (self.months(policy) if self.months else 0)

    def mature_until(self, policy, today):
        """The last day of the latest monthly cohort whose delay has elapsed for all its members."""
        days, months = self.delay(policy)
        month_end = _month_end(add_months(today, -months))
        while add_months(month_end, months) + datetime.timedelta(days=days) > today:
            month_end = month_end.replace(day=1) - datetime.timedelta(days=1)
        return month_end

    def describe(self, policy):
        days, months = self.delay(policy)
        delay = f"{months} mois" if months else f"{days} jours"
        return f"cohortes mensuelles ({self.start}) dont le délai de {delay} est écoulé pour tous leurs membres"


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Indicator:
    code: str
    theme: str
    label: str
    unit: str  # "jours", "%", "nombre", "ratio", "€", "score"
    definition: str
    dates: str
    numerator: str = ""
    denominator: str = ""
    target: object = None  # callable(policy) -> value, or None
    target_source: str = ""
    higher_is_better: bool | None = None
    maturity: Maturity | None = None
    dimensions: frozenset = field(default=PATHWAY_DIMENSIONS)

    @property
    def is_delay(self):
        return self.maturity is not None

    def target_for(self, policy):
        return self.target(policy) if self.target else None


ORIENTATION = "Orientation et premier accompagnement"
FOLLOW_UP = "Suivi des parcours"
EMPLOYMENT = "Sorties et emploi"
COMPANIES = "Entreprises, immersions et formations"
OFFERS = "Offre d'insertion"
CASE_REVIEWS = "Équipes pluridisciplinaires"
VOICE = "Parole des personnes accompagnées"
MEANS = "Moyens"
THEMES = [ORIENTATION, FOLLOW_UP, EMPLOYMENT, COMPANIES, OFFERS, CASE_REVIEWS, VOICE, MEANS]

_orientation_maturity = Maturity(start="mois d'entrée", days=lambda policy: policy.orientation_target_days)
_accompaniment_maturity = Maturity(start="mois d'orientation", days=lambda policy: FIRST_ACCOMPANIMENT_TARGET_DAYS)
_contract_maturity = Maturity(start="mois d'orientation", months=lambda policy: policy.contract_due_months)
_company_maturity = Maturity(start="mois d'envoi de la demande", days=lambda policy: CONTACT_RESPONSE_WINDOW_DAYS)
_referral_maturity = Maturity(start="mois d'envoi", days=lambda policy: policy.referral_expiry_days)
_case_maturity = Maturity(start="mois de proposition", days=lambda policy: CASE_REVIEW_TARGET_DAYS)
# The steps after which the person is asked for their opinion (spie.questionnaires).
QUESTIONNAIRE_STEPS = [
    ("apres_diagnostic", "Après le diagnostic"),
    ("apres_contrat", "Après le contrat d'engagement"),
    ("sortie", "À la sortie du parcours"),
    ("emploi_m6", "Six mois après la reprise d'emploi"),
]

INDICATORS = [
    Indicator(
        code="delai_orientation",
        theme=ORIENTATION,
        label="Délai d'orientation (médiane)",
        unit="jours",
        definition=(
            "Nombre de jours entre l'entrée dans le parcours (ouverture des droits ou inscription) et la "
            "notification de la décision d'orientation, médiane des parcours orientés."
        ),
        dates="Date d'entrée du parcours et date de notification de l'orientation.",
        denominator="parcours orientés des cohortes mûres",
        target=lambda policy: policy.orientation_target_days,
        target_source="délai cible d'orientation du territoire (réglage, 30 jours par défaut)",
        higher_is_better=False,
        maturity=_orientation_maturity,
    ),
    Indicator(
        code="orientation_dans_le_delai",
        theme=ORIENTATION,
        label="Orientations notifiées dans le délai cible",
        unit="%",
        definition=(
            "Part des personnes entrées dont l'orientation a été notifiée au plus tard au terme du délai "
            "cible d'orientation du territoire ; les personnes non encore orientées comptent comme hors délai."
        ),
        dates="Date d'entrée du parcours et date de notification de l'orientation.",
        numerator="parcours orientés dans le délai cible",
        denominator="parcours entrés des cohortes mûres",
        higher_is_better=True,
        maturity=_orientation_maturity,
    ),
    Indicator(
        code="delai_premier_accompagnement",
        theme=ORIENTATION,
        label="Délai du premier rendez-vous après l'orientation (médiane)",
        unit="jours",
        definition=(
            "Nombre de jours entre la notification de l'orientation et le premier rendez-vous honoré qui la "
            "suit, médiane des parcours orientés ayant eu ce rendez-vous."
        ),
        dates="Date de notification de l'orientation et date du premier rendez-vous honoré.",
        denominator="parcours orientés des cohortes mûres ayant eu un rendez-vous honoré",
        target=lambda policy: FIRST_ACCOMPANIMENT_TARGET_DAYS,
        target_source="cible de pilotage SPIE : premier rendez-vous dans les 30 jours",
        higher_is_better=False,
        maturity=_accompaniment_maturity,
    ),
    Indicator(
        code="premier_accompagnement_30j",
        theme=ORIENTATION,
        label="Premier rendez-vous honoré dans les 30 jours après l'orientation",
        unit="%",
        definition=(
            "Part des parcours orientés dont un rendez-vous honoré a eu lieu dans les 30 jours suivant la "
            "notification de l'orientation."
        ),
        dates="Date de notification de l'orientation et date du premier rendez-vous honoré.",
        numerator="parcours avec un rendez-vous honoré dans les 30 jours",
        denominator="parcours orientés des cohortes mûres",
        higher_is_better=True,
        maturity=_accompaniment_maturity,
    ),
    Indicator(
        code="contrat_dans_le_mois",
        theme=ORIENTATION,
        label="Contrats d'engagement signés dans le mois de l'orientation",
        unit="%",
        definition=(
            "Part des orientations notifiées dont le contrat d'engagement a été signé au plus tard un mois "
            "(délai du territoire) après la notification ; une nouvelle orientation fait repartir le délai."
        ),
        dates="Date de notification de l'orientation en vigueur et date de signature du contrat.",
        numerator="contrats signés dans le délai",
        denominator="orientations notifiées depuis plus d'un mois (cohortes mûres)",
        target=lambda policy: 100,
        target_source="règle : signature dans le mois de la décision d'orientation (décret n° 2024-1244)",
        higher_is_better=True,
        maturity=_contract_maturity,
    ),
    Indicator(
        code="suivi_point_de_situation",
        theme=FOLLOW_UP,
        label="Parcours actifs ayant eu un point de situation dans la période",
        unit="%",
        definition=(
            "Part des parcours actifs aujourd'hui (orienté, contrat signé, en accompagnement) ayant eu au "
            "moins un point de situation dans la période."
        ),
        dates="Étape actuelle du parcours et date des points de situation.",
        numerator="parcours actifs avec un point de situation dans la période",
        denominator="parcours actifs",
        higher_is_better=True,
    ),
    Indicator(
        code="suivi_rendez_vous_60j",
        theme=FOLLOW_UP,
        label="Parcours actifs avec un rendez-vous honoré dans les 60 derniers jours",
        unit="%",
        definition=(
            "Part des parcours actifs aujourd'hui dont le dernier rendez-vous honoré date de moins de 60 jours "
            "(délai d'alerte du territoire)."
        ),
        dates="Date du dernier rendez-vous honoré, comparée à la date du jour.",
        numerator="parcours actifs vus dans le délai",
        denominator="parcours actifs",
        higher_is_better=True,
    ),
    Indicator(
        code="parcours_bloques",
        theme=FOLLOW_UP,
        label="Parcours bloqués (étape plus longue que prévu)",
        unit="%",
        definition=(
            "Part des parcours ouverts restés dans leur étape actuelle au-delà de la durée cible de cette "
            "étape fixée par le territoire."
        ),
        dates="Date d'entrée dans l'étape actuelle et durée cible de l'étape.",
        numerator="parcours ouverts bloqués",
        denominator="parcours ouverts",
        higher_is_better=False,
    ),
    Indicator(
        code="taux_absence",
        theme=FOLLOW_UP,
        label="Taux d'absence non excusée aux rendez-vous",
        unit="%",
        definition=(
            "Absences non excusées rapportées aux rendez-vous dont le statut final est connu (honoré, absence "
            "excusée ou non excusée) ; les rendez-vous annulés ne comptent pas."
        ),
        dates="Date des rendez-vous.",
        numerator="absences non excusées",
        denominator="rendez-vous avec un statut final",
        higher_is_better=False,
    ),
    Indicator(
        code="clotures_perte_contact",
        theme=FOLLOW_UP,
        label="Parcours clos pour perte de contact",
        unit="%",
        definition="Parcours clos pour perte de contact rapportés à l'ensemble des parcours clos.",
        dates="Date de clôture des parcours.",
        numerator="clôtures pour perte de contact",
        denominator="parcours clos",
        higher_is_better=False,
    ),
    Indicator(
        code="sorties_emploi",
        theme=EMPLOYMENT,
        label="Sorties vers l'emploi",
        unit="%",
        definition="Parcours clos pour emploi (durable ou non) rapportés à l'ensemble des parcours clos.",
        dates="Date de clôture des parcours.",
        numerator="sorties pour emploi",
        denominator="parcours clos",
        higher_is_better=True,
    ),
    Indicator(
        code="sorties_emploi_durable",
        theme=EMPLOYMENT,
        label="Part d'emploi durable parmi les sorties vers l'emploi",
        unit="%",
        definition=(
            "Sorties pour emploi durable (CDI, CDD ou intérim de 6 mois ou plus, création d'entreprise) "
            "rapportées aux sorties pour emploi."
        ),
        dates="Date de clôture des parcours.",
        numerator="sorties pour emploi durable",
        denominator="sorties pour emploi",
        higher_is_better=True,
    ),
    *[
        Indicator(
            code=f"emploi_m{months}",
            theme=EMPLOYMENT,
            label=f"Toujours en emploi à M+{months}",
            unit="%",
            definition=(
                f"Reprises d'emploi dont un point de suivi à M+{months} ou plus tard confirme que la personne "
                f"occupe toujours l'emploi, rapportées aux reprises d'emploi dont le point à M+{months} est "
                "échu ; un point non réalisé compte comme non confirmé."
            ),
            dates="Date de début de l'emploi et dates prévues des points de suivi.",
            numerator="personnes toujours en emploi",
            denominator=f"reprises d'emploi dont le point à M+{months} est échu",
            higher_is_better=True,
        )
        for months in (1, 3, 6)
    ],
    Indicator(
        code="immersions_realisees",
        theme=COMPANIES,
        label="Immersions réalisées",
        unit="%",
        definition="Immersions terminées rapportées aux immersions dont la convention a été validée.",
        dates="Date de début de l'immersion.",
        numerator="immersions terminées",
        denominator="immersions validées",
        higher_is_better=True,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="immersions_embauche",
        theme=COMPANIES,
        label="Immersions ayant débouché sur une embauche",
        unit="%",
        definition="Immersions dont le bilan indique une embauche, rapportées aux immersions terminées.",
        dates="Date de début de l'immersion.",
        numerator="immersions suivies d'une embauche",
        denominator="immersions terminées",
        higher_is_better=True,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="immersions_metiers_tension",
        theme=COMPANIES,
        label="Immersions dans un métier en tension",
        unit="%",
        definition=(
            "Immersions (hors brouillons et annulations) sur un métier inscrit à la liste des métiers en "
            "tension du territoire à la date de début."
        ),
        dates="Date de début de l'immersion et périodes de la liste des métiers en tension.",
        numerator="immersions en métier en tension",
        denominator="immersions",
        higher_is_better=True,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="formations_metiers_tension",
        theme=COMPANIES,
        label="Entrées en formation sur un métier en tension",
        unit="%",
        definition=(
            "Entrées en formation (entrées ou formations terminées) dont la session vise un métier en tension "
            "du territoire à la date de début de la session."
        ),
        dates="Date de début de la session de formation.",
        numerator="entrées en formation visant un métier en tension",
        denominator="entrées en formation",
        higher_is_better=True,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="embauches_metiers_tension",
        theme=COMPANIES,
        label="Reprises d'emploi dans un métier en tension",
        unit="%",
        definition="Reprises d'emploi dont le métier est en tension dans le territoire à la date de début.",
        dates="Date de début de l'emploi.",
        numerator="reprises d'emploi en métier en tension",
        denominator="reprises d'emploi",
        higher_is_better=True,
    ),
    Indicator(
        code="reponse_entreprises_15j",
        theme=COMPANIES,
        label="Réponses des entreprises sous 15 jours",
        unit="%",
        definition=(
            "Demandes de contact auxquelles l'entreprise a répondu dans les 15 jours, sur les demandes envoyées."
        ),
        dates="Date d'envoi de la demande et date de réponse.",
        numerator="demandes répondues sous 15 jours",
        denominator="demandes envoyées (cohortes mûres)",
        higher_is_better=True,
        maturity=_company_maturity,
        dimensions=frozenset({"territory", "structure", "period"}),
    ),
    Indicator(
        code="orientations_service_repondues",
        theme=OFFERS,
        label="Orientations vers un service ayant reçu une réponse",
        unit="%",
        definition=(
            "Orientations vers un service de l'offre auxquelles le service a répondu (acceptation ou refus) "
            "avant l'expiration du délai du territoire."
        ),
        dates="Date d'envoi de l'orientation et date de réponse.",
        numerator="orientations répondues",
        denominator="orientations envoyées (cohortes mûres)",
        higher_is_better=True,
        maturity=_referral_maturity,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="orientations_service_acceptees",
        theme=OFFERS,
        label="Orientations vers un service acceptées",
        unit="%",
        definition="Orientations acceptées par le service rapportées aux orientations ayant reçu une réponse.",
        dates="Date d'envoi de l'orientation.",
        numerator="orientations acceptées",
        denominator="orientations répondues",
        higher_is_better=True,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="orientations_service_delai",
        theme=OFFERS,
        label="Délai de réponse des services (médiane)",
        unit="jours",
        definition="Délai entre l'envoi de l'orientation et la réponse du service, médiane des orientations répondues.",
        dates="Date d'envoi de l'orientation et date de réponse.",
        denominator="orientations répondues",
        higher_is_better=False,
        dimensions=PERSON_DIMENSIONS,
    ),
    Indicator(
        code="offres_a_jour",
        theme=OFFERS,
        label="Services de l'offre mis à jour depuis moins de 12 mois",
        unit="%",
        definition=(
            "Services de l'annuaire du territoire mis à jour chez leur producteur depuis moins que le délai "
            "du territoire (12 mois par défaut)."
        ),
        dates="Date de mise à jour du service, comparée à la date du jour.",
        numerator="services à jour",
        denominator="services de l'annuaire",
        higher_is_better=True,
        dimensions=TERRITORY_ONLY,
    ),
    Indicator(
        code="equipes_delai_examen",
        theme=CASE_REVIEWS,
        label="Délai entre la proposition d'une situation et son examen (médiane)",
        unit="jours",
        definition=(
            "Nombre de jours entre la proposition d'une situation à une équipe pluridisciplinaire ou un groupe "
            "d'appui et son examen en séance, médiane des situations examinées."
        ),
        dates="Date de proposition de la situation et date d'examen en séance.",
        denominator="situations proposées (cohortes mûres) et examinées",
        target=lambda policy: CASE_REVIEW_TARGET_DAYS,
        target_source="cible de pilotage SPIE : examen dans les 30 jours",
        higher_is_better=False,
        maturity=_case_maturity,
    ),
    Indicator(
        code="equipes_actions_dans_les_delais",
        theme=CASE_REVIEWS,
        label="Actions décidées en instance réalisées à l'échéance",
        unit="%",
        definition=(
            "Actions décidées en équipe pluridisciplinaire ou groupe d'appui réalisées au plus tard à leur "
            "échéance, rapportées aux actions échues (hors actions annulées)."
        ),
        dates="Échéance et date de réalisation des actions.",
        numerator="actions réalisées à l'échéance",
        denominator="actions échues",
        higher_is_better=True,
        dimensions=PERSON_DIMENSIONS,
    ),
    *[
        indicator
        for step, step_label in QUESTIONNAIRE_STEPS
        for indicator in (
            Indicator(
                code=f"questionnaire_{step}_reponse",
                theme=VOICE,
                label=f"Questionnaire « {step_label.lower()} » : taux de réponse",
                unit="%",
                definition=(
                    "Questionnaires répondus rapportés aux questionnaires envoyés dont le délai de réponse est "
                    "écoulé (ou déjà répondus)."
                ),
                dates="Date d'envoi, date d'expiration et date de réponse du questionnaire.",
                numerator="questionnaires répondus",
                denominator="questionnaires envoyés dont la réponse est acquise ou le délai écoulé",
                higher_is_better=True,
                dimensions=PERSON_DIMENSIONS,
            ),
            Indicator(
                code=f"questionnaire_{step}_note",
                theme=VOICE,
                label=f"Questionnaire « {step_label.lower()} » : note moyenne",
                unit="score",
                definition="Moyenne des notes (de 1 à 5) des questionnaires répondus.",
                dates="Date d'envoi du questionnaire.",
                denominator="questionnaires répondus notés",
                higher_is_better=True,
                dimensions=PERSON_DIMENSIONS,
            ),
        )
    ],
    Indicator(
        code="temps_communs",
        theme=MEANS,
        label="Temps communs réalisés",
        unit="nombre",
        definition=(
            "Formations communes, échanges de pratiques, réunions d'information et immersions entre structures "
            "tenus (hors annulations) dont la date tombe dans la période."
        ),
        dates="Date de début du temps commun.",
        dimensions=frozenset({"territory", "structure", "period"}),
    ),
    Indicator(
        code="temps_communs_participation",
        theme=MEANS,
        label="Présence aux temps communs",
        unit="%",
        definition=(
            "Professionnels présents rapportés aux inscrits (hors liste d'attente et désinscriptions) des "
            "temps communs réalisés dans la période."
        ),
        dates="Date de début du temps commun et présence notée par l'organisateur.",
        numerator="inscrits présents",
        denominator="inscrits des temps communs réalisés",
        higher_is_better=True,
        dimensions=frozenset({"territory", "structure", "period"}),
    ),
    Indicator(
        code="professionnels",
        theme=MEANS,
        label="Professionnels actifs",
        unit="nombre",
        definition="Comptes professionnels actifs rattachés à une structure active du territoire.",
        dates="Situation à la date du jour.",
        dimensions=frozenset({"territory", "structure"}),
    ),
    Indicator(
        code="referents",
        theme=MEANS,
        label="Référents de parcours",
        unit="nombre",
        definition="Professionnels référents d'au moins une personne suivie aujourd'hui.",
        dates="Situation à la date du jour.",
        dimensions=frozenset({"territory", "structure"}),
    ),
    Indicator(
        code="file_active_par_referent",
        theme=MEANS,
        label="Personnes suivies par référent (moyenne)",
        unit="ratio",
        definition="Personnes dont le suivi par un référent est en cours, rapportées au nombre de référents.",
        dates="Situation à la date du jour.",
        numerator="personnes suivies par un référent",
        denominator="référents",
        dimensions=frozenset({"territory", "structure"}),
    ),
    Indicator(
        code="structures_actives",
        theme=MEANS,
        label="Structures actives",
        unit="nombre",
        definition="Structures du territoire dont au moins un professionnel est référent d'une personne suivie.",
        dates="Situation à la date du jour.",
        dimensions=TERRITORY_ONLY,
    ),
    Indicator(
        code="budget_alloue",
        theme=MEANS,
        label="Budget alloué au projet du territoire",
        unit="€",
        definition=(
            "Somme des lignes budgétaires « projet du territoire » (toutes années) ; au niveau national, la part "
            "des territoires dans l'enveloppe de 2021 (15 M€ pour les projets des territoires, 15 M€ pour "
            "l'appui technique national)."
        ),
        dates="Lignes budgétaires par année.",
        dimensions=TERRITORY_ONLY,
    ),
]

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def indicators():
    return list(INDICATORS)


def by_theme(items=None):
    items = INDICATORS if items is None else items
    return [(theme, [i for i in items if i.theme == theme]) for theme in THEMES if any(i.theme == theme for i in items)]
