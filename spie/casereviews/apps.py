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

    def onboarding_items(self, territories):
        """A first review body per territory (see spie.onboarding)."""
        from django.urls import reverse

        from spie.onboarding.checklist import counted_items

        from .models import ReviewBody

        return counted_items(
            territories,
            ReviewBody.objects.filter(is_active=True),
            unit="instance(s)",
            key="case_review_bodies",
            position=90,
            label="Instance d'examen des situations créée",
            url=reverse("casereviews:body_create"),
            help=(
                "Créez le groupe d'appui ou l'équipe pluridisciplinaire du territoire et ajoutez ses "
                "membres des différentes structures."
            ),
        )

    help_texts = {
        "casereviews:home": (
            "Les instances réunissent des professionnels de plusieurs structures pour trouver ensemble des "
            "solutions pour les personnes qui rencontrent le plus de difficultés.\n\n"
            "- Coordinateur·rice : créez l'instance, désignez ses membres, planifiez les séances.\n"
            "- « Situations à inscrire » : les situations proposées par les référents, à mettre à l'ordre du jour.\n"
            "- « Situations repérées » : les parcours à l'arrêt, freins forts, absences répétées ou contrats en "
            "retard ; invitez le ou la référent·e à présenter la situation."
        ),
        "casereviews:session": (
            "La séance suit quatre étapes : ordre du jour, publication, tenue, compte rendu.\n\n"
            "- Inscrivez les situations dont la présentation a été validée par leur référent·e, puis publiez "
            "l'ordre du jour avant la date indiquée.\n"
            "- Le jour de la séance, notez les présences puis « Tenir la séance » (quorum requis pour l'équipe "
            "pluridisciplinaire).\n"
            "- Saisissez l'examen de chaque situation, puis signez le compte rendu : les membres gardent l'accès "
            "nominatif pendant la durée réglée par le territoire."
        ),
        "casereviews:case": (
            "Chaque membre voit la situation sous la forme que son droit permet : nominative ou pseudonymisée "
            "(initiales, tranche d'âge, zone). Chaque consultation est tracée dans le dossier de la personne.\n\n"
            "- Les actions décidées ont une structure responsable et une échéance ; une action en retard crée "
            "une alerte au point de situation.\n"
            "- Une action du référentiel entre dans le plan du contrat d'engagement."
        ),
        "casereviews:refer": (
            "Présentez une situation avec l'accord de la personne et une question précise.\n\n"
            "- N'écrivez ni nom, ni date de naissance, ni adresse, ni identifiant : la question et le résumé "
            "sont lus par des membres qui ne voient pas le dossier.\n"
            "- Relisez ensuite la présentation pseudonymisée et validez-la."
        ),
    }

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
