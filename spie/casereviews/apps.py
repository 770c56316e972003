from django.apps import AppConfig


class CasereviewsConfig(AppConfig):
    name = "spie.casereviews"
    label = "casereviews"
    verbose_name = "Examens de situations"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_use_casereviews

        if not can_use_casereviews(membership):
            return []
        return [(30, "Instances", reverse("casereviews:home"))]

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_view_person_cases

        if not can_view_person_cases(membership, person):
            return []
        return [(40, "instances", "Instances", reverse("casereviews:person_cases", args=[person.public_id]))]

    def person_export(self, person):
        from .export import person_export_sections

        return person_export_sections(person)

    audit_labels = {
        "casereviews.body.created": "Instance créée",
        "casereviews.member.added": "Membre ajouté à une instance",
        "casereviews.member.removed": "Membre retiré d'une instance",
        "casereviews.session.planned": "Séance d'instance planifiée",
        "casereviews.session.agenda_published": "Ordre du jour publié aux membres",
        "casereviews.session.attendance_recorded": "Présences de la séance enregistrées",
        "casereviews.session.held": "Séance d'instance tenue",
        "casereviews.session.minutes_signed": "Compte rendu de séance signé",
        "casereviews.session.cancelled": "Séance d'instance annulée",
        "casereviews.case.referred": "Situation proposée en instance",
        "casereviews.case.presentation_updated": "Présentation pseudonymisée modifiée",
        "casereviews.case.presentation_approved": "Présentation pseudonymisée validée par le ou la référent·e",
        "casereviews.case.scheduled": "Situation inscrite à l'ordre du jour",
        "casereviews.case.postponed": "Situation reportée à une autre séance",
        "casereviews.case.withdrawn": "Situation retirée de l'instance",
        "casereviews.case.discussed": "Situation examinée en instance",
        "casereviews.decision.recorded": "Décision ou avis de l'instance",
        "casereviews.action.added": "Action décidée en instance",
        "casereviews.action.done": "Action décidée en instance réalisée",
        "casereviews.action.cancelled": "Action décidée en instance annulée",
        "casereviews.candidate.invited": "Référent·e invité·e à présenter une situation",
    }
