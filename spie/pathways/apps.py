from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "spie.pathways"
    label = "pathways"
    verbose_name = "Parcours"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_view_orientation_queue

        if not can_view_orientation_queue(membership):
            return []
        return [(20, "File d'orientation", reverse("pathways:queue"))]

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_view_orientation

        if not can_view_orientation(membership, person):
            return []
        return [(30, "orientation", "Orientation", reverse("pathways:orientation", args=[person.public_id]))]

    audit_labels = {
        "pathways.orientation.decided": "Décision d'orientation",
        "pathways.reorientation.requested": "Demande de réorientation",
        "pathways.reorientation.accepted": "Demande de réorientation acceptée",
        "pathways.reorientation.refused": "Demande de réorientation refusée",
        "pathways.reorientation.cancelled": "Demande de réorientation annulée",
    }
