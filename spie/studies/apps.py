from django.apps import AppConfig


class StudiesConfig(AppConfig):
    name = "spie.studies"
    label = "studies"
    verbose_name = "Évaluation participative et études d'impact"

    def main_menu(self, membership):
        from django.urls import reverse

        from spie.accounts.perms import is_territory_coordinator

        from .perms import can_manage_studies

        if can_manage_studies(membership):
            return [(88, "Études", reverse("studies:studies"))]
        territory = membership.organisation.territory if membership is not None else None
        if is_territory_coordinator(membership, territory):
            return [(88, "Évaluation participative", reverse("studies:territory_evaluations", args=[territory.code]))]
        return []

    help_texts = {
        "studies:territory_evaluations": (
            "Chaque année, le territoire écrit son évaluation participative : ce qu'en disent les structures et le "
            "groupe miroir, ce qui a changé, la suite.\n"
            "- La coordination rédige un brouillon, puis le publie.\n"
            "- Une fois publiée, l'évaluation est lisible par tous les professionnels du territoire."
        ),
        "studies:national_evaluations": (
            "Les évaluations participatives de tous les territoires. Filtrez par année, triez, exportez en CSV."
        ),
        "studies:studies": (
            "Une étude d'impact reçoit une extraction pseudonymisée des parcours entrés pendant sa période.\n"
            "- Créez l'étude (nom, finalité, territoire, période).\n"
            "- Sur sa page, téléchargez l'extraction : CSV, Parquet et dictionnaire des données."
        ),
        "studies:study_detail": (
            "L'extraction ne contient ni nom, ni adresse, ni identifiant, ni texte libre ; l'identifiant de "
            "personne est propre à l'étude. Chaque extraction est journalisée à votre nom."
        ),
    }

    audit_labels = {
        "studies.evaluation.created": "Évaluation participative commencée (brouillon)",
        "studies.evaluation.updated": "Évaluation participative modifiée",
        "studies.evaluation.published": "Évaluation participative publiée",
        "studies.evaluation.unpublished": "Évaluation participative repassée en brouillon",
        "studies.study.created": "Étude d'impact créée",
        "studies.study.exported": "Extraction pseudonymisée d'une étude d'impact",
    }
