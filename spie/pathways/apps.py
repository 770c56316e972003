from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "spie.pathways"
    label = "pathways"
    verbose_name = "Parcours"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_edit_territory_settings, can_view_orientation_queue, situation_scope

        items = []
        if can_view_orientation_queue(membership):
            items.append((20, "File d'orientation", reverse("pathways:queue")))
        if situation_scope(membership) is not None:
            items.append((25, "Point de situation", reverse("pathways:situation")))
        if can_edit_territory_settings(membership):
            items.append((90, "Délais du territoire", reverse("pathways:settings")))
        return items

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_view_orientation, can_view_pathway

        tabs = []
        if can_view_orientation(membership, person):
            tabs.append((30, "orientation", "Orientation", reverse("pathways:orientation", args=[person.public_id])))
        if can_view_pathway(membership, person):
            tabs += [
                (35, "parcours", "Parcours", reverse("pathways:pathway", args=[person.public_id])),
                (36, "contrat", "Contrat", reverse("pathways:contract", args=[person.public_id])),
                (37, "rendez-vous", "Rendez-vous", reverse("pathways:appointments", args=[person.public_id])),
            ]
        return tabs

    def person_export(self, person):
        from .export import person_export_sections

        return person_export_sections(person)

    audit_labels = {
        "pathways.orientation.decided": "Décision d'orientation",
        "pathways.reorientation.requested": "Demande de réorientation",
        "pathways.reorientation.accepted": "Demande de réorientation acceptée",
        "pathways.reorientation.refused": "Demande de réorientation refusée",
        "pathways.reorientation.cancelled": "Demande de réorientation annulée",
        "pathways.pathway.opened": "Parcours : entrée",
        "pathways.pathway.oriented": "Parcours : orienté",
        "pathways.pathway.reoriented": "Parcours : réorienté (le délai du contrat recommence)",
        "pathways.pathway.contract_signed": "Parcours : contrat signé",
        "pathways.pathway.accompaniment_started": "Parcours : en accompagnement",
        "pathways.pathway.accompaniment_resumed": "Parcours : reprise de l'accompagnement",
        "pathways.pathway.closed": "Parcours clos",
        "pathways.contract.started": "Contrat d'engagement en préparation",
        "pathways.contract.revision_started": "Révision du contrat d'engagement",
        "pathways.contract.objective_added": "Contrat : objectif ajouté",
        "pathways.contract.objective_removed": "Contrat : objectif retiré",
        "pathways.contract.action_added": "Contrat : action ajoutée",
        "pathways.contract.action_updated": "Contrat : action modifiée",
        "pathways.contract.action_removed": "Contrat : action retirée",
        "pathways.contract.action_status_changed": "Contrat : statut d'une action",
        "pathways.contract.exemption_set": "Contrat : dérogation aux 15 heures",
        "pathways.contract.exemption_removed": "Contrat : dérogation retirée",
        "pathways.contract.signed": "Contrat d'engagement signé",
        "pathways.appointment.planned": "Rendez-vous planifié",
        "pathways.appointment.seen": "Rendez-vous honoré",
        "pathways.appointment.excused": "Rendez-vous : absence excusée",
        "pathways.appointment.no_show": "Rendez-vous : absence non excusée",
        "pathways.appointment.cancelled": "Rendez-vous annulé",
        "pathways.review.recorded": "Point de situation",
        "pathways.employment.started": "Reprise d'emploi",
        "pathways.employment.ended": "Fin du suivi dans l'emploi",
        "pathways.checkpoint.recorded": "Suivi dans l'emploi : point réalisé",
        "pathways.settings.updated": "Délais du territoire modifiés",
    }
