from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "spie.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation et indicateurs"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_view_indicators

        if not can_view_indicators(membership):
            return []
        return [(80, "Indicateurs", reverse("evaluation:indicators"))]

    help_texts = {
        "evaluation:indicators": (
            "Les indicateurs du périmètre (territoire, structure ou ensemble national), avec la cible et la "
            "valeur nationale à côté.\n\n"
            "- Filtrez par structure, type de parcours, mois d'entrée ou période, puis « Filtrer ».\n"
            "- Les indicateurs de délai ne comptent que les cohortes mûres : voir la colonne « Remarques ».\n"
            "- « Exporter en CSV » donne le même tableau pour un tableur ; chaque export est tracé.\n"
            "- Cliquez sur un indicateur pour lire sa définition."
        ),
        "evaluation:national": (
            "Chaque territoire, l'ensemble de sa cohorte et l'ensemble national, thème par thème.\n\n"
            "- Choisissez le thème et les filtres, puis « Afficher ».\n"
            "- Cliquez sur un territoire pour ouvrir tous ses indicateurs."
        ),
    }

    audit_labels = {
        "evaluation.indicators.exported": "Export CSV des indicateurs",
    }
