from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "spie.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires et groupe miroir"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_manage_mirror_group, can_see_results

        items = []
        if can_see_results(membership):
            items.append((80, "Avis des personnes", reverse("questionnaires:results")))
        if can_manage_mirror_group(membership):
            items.append((81, "Groupe miroir", reverse("questionnaires:mirror")))
        return items

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_see_person_questionnaires

        if not can_see_person_questionnaires(membership, person):
            return []
        return [(70, "questionnaires", "Questionnaires", reverse("questionnaires:person", args=[person.public_id]))]

    def person_space_items(self, person):
        from django.urls import reverse

        from .models import QuestionnaireInvitation

        pending = QuestionnaireInvitation.objects.pending().filter(person=person).count()
        return [(30, "Questionnaires à remplir", reverse("questionnaires:space_list"), pending)]

    audit_labels = {
        "questionnaires.invitation.sent": "Questionnaire envoyé à la personne",
        "questionnaires.invitation.reminded": "Relance du questionnaire",
        "questionnaires.invitation.answered": "Questionnaire rempli par la personne",
        "questionnaires.link.refused": "Lien de questionnaire refusé (déjà utilisé ou expiré)",
        "questionnaires.comment.published": "Commentaire de questionnaire publié après relecture",
        "questionnaires.comment.rejected": "Commentaire de questionnaire écarté",
        "questionnaires.mirror.member_added": "Membre ajouté au groupe miroir",
        "questionnaires.mirror.member_withdrawn": "Membre retiré du groupe miroir",
        "questionnaires.mirror.session_created": "Séance du groupe miroir créée",
        "questionnaires.mirror.attendance_recorded": "Présences à une séance du groupe miroir",
        "questionnaires.mirror.feedback_recorded": "Synthèse d'une séance du groupe miroir",
    }
