"""In-page help ("Comment faire ?"): texts by view name, contributed per app (see the package
docstring). The defaults below cover the main pages of apps that do not declare their own."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.utils.html import format_html, format_html_join

DEFAULT_HELP_TEXTS = {
    "people:caseload": (
        "Vous voyez ici les personnes dont vous faites partie de l'équipe de suivi.\n\n"
        "- Pour ajouter une personne : « Nouveau dossier », après avoir vérifié qu'elle n'est pas déjà suivie "
        "(« Rechercher une personne »).\n"
        "- Pour reprendre une liste existante : « Importer un fichier ».\n"
        "- Filtrez par nom, référent, date d'entrée ou commune ; exportez la liste en CSV.\n"
        "- Coordinateurs et chargés d'orientation : cochez des personnes puis « Attribuer un référent »."
    ),
    "people:detail": (
        "Le dossier est partagé par toute l'équipe de suivi : chaque consultation et chaque modification "
        "sont tracées.\n\n"
        "- « Modifier » pour corriger l'identité, les coordonnées ou les droits.\n"
        "- L'onglet « Équipe de suivi » montre qui accompagne la personne ; le ou la référent·e porte le parcours.\n"
        "- Les informations sensibles n'apparaissent qu'avec l'habilitation et le consentement de la personne."
    ),
    "people:import": (
        "Importez les personnes déjà suivies depuis un fichier CSV (export de votre logiciel).\n\n"
        "- Le fichier est vérifié avant tout enregistrement : l'aperçu indique chaque ligne rejetée et pourquoi.\n"
        "- Une personne déjà connue est mise à jour, jamais dupliquée.\n"
        "- La colonne « referent_email » désigne le référent de chaque personne."
    ),
    "people:bulk_assign": (
        "Attribuez un référent à plusieurs personnes en une seule opération.\n\n"
        "- Cochez les personnes, choisissez le professionnel, validez.\n"
        "- L'ancien référent reste dans l'équipe de suivi.\n"
        "- Le nouveau référent reçoit un seul e-mail récapitulatif."
    ),
    "people:bulk_hand_over": (
        "Avant le départ d'un professionnel, confiez les personnes dont il est référent à des collègues.\n\n"
        "- Cochez un ou plusieurs collègues : les personnes sont réparties en équilibrant leur charge.\n"
        "- Chaque dossier garde la trace de la passation ; chaque collègue reçoit un seul e-mail."
    ),
    "territories:list": (
        "La liste des territoires du SPIE, par cohorte, avec le budget national.\n\n"
        "- Ouvrez un territoire pour voir ses structures, sa couverture et son budget.\n"
        "- « Mise en service », dans le menu, montre où en est chaque territoire."
    ),
    "territories:detail": (
        "La fiche du territoire : départements ou communes couverts, structures partenaires, budget.\n\n"
        "- Pour ajouter des structures en nombre : importez leur fichier depuis « Mise en service ».\n"
        "- Les délais et périodes du territoire se règlent aussi depuis « Mise en service »."
    ),
    "referentials:index": (
        "Les référentiels communs à tous les territoires : communes, métiers (ROME), activités (NAF), "
        "référentiel du parcours. Ils sont en lecture seule et mis à jour au niveau national."
    ),
}


@dataclass(frozen=True)
class HelpText:
    view_name: str
    text: str

    def as_html(self):
        """Paragraphs and "- " lists, every piece of text escaped."""
        blocks = []
        for block in self.text.split("\n\n"):
            lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
            bullets = [line[2:] for line in lines if line.startswith("- ")]
            prose = [line for line in lines if not line.startswith("- ")]
            if prose:
                blocks.append(format_html("<p>{}</p>", " ".join(prose)))
            if bullets:
                blocks.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((b,) for b in bullets))))
        return format_html_join("", "{}", ((block,) for block in blocks))


@cache
def help_registry():
    """Every app's texts over the defaults (an app's own text wins)."""
    registry = dict(DEFAULT_HELP_TEXTS)
    for app_config in apps.get_app_configs():
        registry.update(getattr(app_config, "help_texts", {}) or {})
    return registry


def help_for(view_name):
    text = help_registry().get(view_name or "")
    return HelpText(view_name, text) if text else None
