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
            items.append((82, "Avis des personnes", reverse("questionnaires:results")))
        if can_manage_mirror_group(membership):
            items.append((83, "Groupe miroir", reverse("questionnaires:mirror")))
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

    def person_export(self, person):
        """Which questionnaires were sent and answered, and the groupe miroir membership. The
        answers stay out: the export is made by the referent, who never sees them."""
        from django.utils import timezone

        from .models import MirrorMember, QuestionnaireInvitation

        def day(value):
            return timezone.localdate(value).strftime("%d/%m/%Y") if value else ""

        invitations = [
            {
                "etape": invitation.get_step_display(),
                "canal": invitation.get_channel_display(),
                "envoye_le": day(invitation.sent_at),
                "relance_le": day(invitation.reminded_at),
                "repondu_le": day(invitation.answered_at),
            }
            for invitation in QuestionnaireInvitation.objects.filter(person=person).order_by("sent_at", "pk")
        ]
        mirror = [
            {
                "accord_du": member.consent_on.strftime("%d/%m/%Y"),
                "retrait_le": member.withdrawn_on.strftime("%d/%m/%Y") if member.withdrawn_on else "",
            }
            for member in MirrorMember.objects.filter(person=person).order_by("consent_on", "pk")
        ]
        return [(70, "questionnaires", invitations), (71, "groupe_miroir", mirror)]

    help_texts = {
        "questionnaires:results": (
            "Les avis des personnes accompagnées, étape par étape, sans aucune réponse individuelle.\n\n"
            "- Filtrez par étape et par période d'envoi, puis « Filtrer » ; « Exporter en CSV » donne les mêmes "
            "chiffres.\n"
            "- Une étape de moins de 5 réponses est masquée, pour que personne ne puisse être reconnu.\n"
            "- Les commentaires libres n'apparaissent qu'une fois relus et publiés."
        ),
        "questionnaires:comments": (
            "Chaque commentaire libre est relu avant d'être publié sur la page des résultats.\n\n"
            "- « Relire » ouvre le commentaire : retirez les noms, lieux ou détails qui permettraient de "
            "reconnaître quelqu'un, puis « Publier ce texte », ou « Écarter le commentaire ».\n"
            "- Chaque décision est tracée."
        ),
        "questionnaires:mirror": (
            "Le groupe miroir réunit des personnes accompagnées volontaires pour évaluer le service.\n\n"
            "- Les personnes accompagnées sont inscrites par leur référent·e, avec leur accord ; ajoutez ici "
            "un·e bénévole extérieur·e.\n"
            "- « Retirer » enregistre un départ ou un retrait de l'accord, à tout moment.\n"
            "- Après chaque séance, notez les présents et la synthèse des échanges."
        ),
    }

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
