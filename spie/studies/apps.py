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

    audit_labels = {
        "studies.evaluation.created": "Évaluation participative commencée (brouillon)",
        "studies.evaluation.updated": "Évaluation participative modifiée",
        "studies.evaluation.published": "Évaluation participative publiée",
        "studies.evaluation.unpublished": "Évaluation participative repassée en brouillon",
        "studies.study.created": "Étude d'impact créée",
        "studies.study.exported": "Extraction pseudonymisée d'une étude d'impact",
    }
