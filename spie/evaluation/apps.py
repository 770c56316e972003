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

    audit_labels = {
        "evaluation.indicators.exported": "Export CSV des indicateurs",
    }
