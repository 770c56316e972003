from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "spie.exchanges"
    label = "exchanges"
    verbose_name = "Temps d'échange et de formation"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_see_events

        if not can_see_events(membership):
            return []
        return [(60, "Temps communs", reverse("exchanges:list"))]

    help_texts = {
        "exchanges:list": (
            "Le calendrier des temps communs du territoire : formations, échanges de pratiques, réunions "
            "d'information, immersions dans une autre structure.\n"
            "- Filtrez par type, par mois ou par structure organisatrice ; exportez la liste en CSV.\n"
            "- La coordination et les gestionnaires de structure publient un temps commun."
        ),
        "exchanges:detail": (
            "Inscrivez-vous tant que les inscriptions sont ouvertes ; quand l'événement est complet, vous "
            "passez en liste d'attente et recevez un e-mail si une place se libère.\n"
            "- Après l'événement, les participants présents peuvent le noter."
        ),
        "exchanges:participants": (
            "La liste des inscrits et de la liste d'attente. Une fois l'événement commencé, notez les présences : "
            "l'événement passe alors en « Réalisé » et compte les structures représentées."
        ),
    }

    audit_labels = {
        "exchanges.event.published": "Temps commun publié",
        "exchanges.event.updated": "Temps commun modifié",
        "exchanges.event.cancelled": "Temps commun annulé",
        "exchanges.event.held": "Temps commun réalisé (présences notées)",
        "exchanges.event.attendance_recorded": "Présences à un temps commun enregistrées",
        "exchanges.registration.created": "Inscription à un temps commun",
        "exchanges.registration.waitlisted": "Inscription en liste d'attente d'un temps commun",
        "exchanges.registration.promoted": "Place attribuée depuis la liste d'attente",
        "exchanges.registration.cancelled": "Désinscription d'un temps commun",
        "exchanges.registration.rated": "Évaluation d'un temps commun",
    }
