"""From the pathway referential's themes to data·inclusion thématiques, and suggestions for a person.

The mapping is deliberately readable: a referential theme (spie/referentials/data/referentiel/
themes.csv) maps to whole data·inclusion categories (« mobilite ») or to precise sub-themes
(« lecture-ecriture-calcul--maitriser-le-francais »). Searching a category finds every service
with one of its sub-themes.
"""

from dataclasses import dataclass

from spie.diagnostics.sensitive import SENSITIVE_THEMES

from .search import OfferSearch, search_offers

THEME_TO_THEMATIQUES = {
    # Social themes (« freins périphériques »)
    "logement": ["logement-hebergement"],
    "mobilite": ["mobilite"],
    "sante": ["sante"],
    "numerique": ["numerique"],
    "contraintes_familiales": ["famille"],
    "difficulte_administrative": ["difficultes-administratives-ou-juridiques"],
    "difficulte_financiere": ["difficultes-financieres", "equipement-et-alimentation"],
    "maitrise_langue": ["lecture-ecriture-calcul"],
    # Professional themes
    "emploi": ["trouver-un-emploi", "preparer-sa-candidature"],
    "formation": ["se-former"],
    "choisir_un_metier": ["choisir-un-metier"],
    "se_former": ["se-former"],
    "preparer_sa_candidature": ["preparer-sa-candidature"],
    "trouver_un_emploi": ["trouver-un-emploi"],
    "creer_une_entreprise": ["creer-une-entreprise"],
    "s_ouvrir_a_l_international": ["souvrir-a-linternational"],
}
SUGGESTIONS_PER_THEME = 5


@dataclass
class Suggestion:
    theme: str
    label: str
    thematiques: list
    offers: list


def thematiques_for(themes):
    """The data·inclusion thématiques answering these referential themes (unknown codes ignored)."""
    found = []
    for theme in themes:
        for value in THEME_TO_THEMATIQUES.get(theme, []):
            if value not in found:
                found.append(value)
    return found


def _theme_labels(themes):
    from spie.referentials.models import Theme

    labels = dict(Theme.objects.filter(version__is_current=True, code__in=themes).values_list("code", "label"))
    return {theme: labels.get(theme, theme.replace("_", " ").capitalize()) for theme in themes}


def suggest_offers(person, themes, *, radius_km=None, per_theme=SUGGESTIONS_PER_THEME):
    """For each theme, the nearest services of its thématiques around the person's commune."""
    commune = person.commune
    labels = _theme_labels(themes)
    suggestions = []
    for theme in themes:
        thematiques = thematiques_for([theme])
        if not thematiques:
            continue
        params = OfferSearch(thematiques=thematiques, commune=commune, territory=person.territory)
        if radius_km:
            params.radius_km = radius_km
        offers = list(search_offers(params)[:per_theme])
        suggestions.append(Suggestion(theme=theme, label=labels[theme], thematiques=thematiques, offers=offers))
    return suggestions


def shareable_themes(themes, membership, person):
    """Health themes are sensitive: kept only for a team member entitled to see them."""
    from spie.people.perms import can_see_sensitive

    if can_see_sensitive(membership, person):
        return list(themes)
    return [theme for theme in themes if theme not in SENSITIVE_THEMES]


def person_themes(person, membership):
    """The person's barriers and project as referential themes, from the diagnostic when it exists.

    Returns (themes, radius_km, available): `available` is False while the diagnostics app does not
    provide its selectors. Sensitive themes are left out unless the membership may see them.
    """
    try:
        from spie.diagnostics import selectors
    except ImportError:
        return [], None, False
    themes = shareable_themes(selectors.barrier_themes(person), membership, person)
    project = selectors.professional_project(person)
    radius = getattr(project, "radius_km", None) if project is not None else None
    if project is not None and getattr(project, "rome_codes", None) and "trouver_un_emploi" not in themes:
        themes.append("trouver_un_emploi")
    return themes, radius, True
