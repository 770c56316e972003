from django.apps import AppConfig


class PersonspaceConfig(AppConfig):
    name = "spie.personspace"
    label = "personspace"
    verbose_name = "Espace personnel"

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_see_space_activity

        if not can_see_space_activity(membership, person):
            return []
        return [(95, "espace", "Espace personnel", reverse("personspace:file_tab", args=[person.public_id]))]

    def person_space_items(self, person):
        from django.urls import reverse

        from .selectors import to_do

        appointments, contract = to_do(person)
        items = []
        if appointments:
            items.append((10, "Rendez-vous à confirmer", reverse("personspace:appointments"), appointments))
        if contract:
            items.append((20, "Contrat d'engagement à lire et approuver", reverse("personspace:contract"), 1))
        return items

    def contact_changed(self, person, *, channel, previous, by):
        from .contacts import record_contact_change

        record_contact_change(person=person, channel=channel, previous=previous, by=by)

    def person_export(self, person):
        from .export import person_export_sections

        return person_export_sections(person)

    audit_labels = {
        "personspace.login.requested": "Espace personnel : lien ou code de connexion envoyé",
        "personspace.login.unknown": "Espace personnel : demande de connexion pour un contact inconnu",
        "personspace.login.throttled": "Espace personnel : demandes de connexion trop nombreuses (refusées)",
        "personspace.login.code_used": "Espace personnel : connexion par code",
        "personspace.login.code_refused": "Espace personnel : code de connexion refusé",
        "personspace.login.link_used": "Espace personnel : connexion par lien",
        "personspace.login.link_refused": "Espace personnel : lien de connexion refusé (expiré, utilisé ou remplacé)",
        "personspace.login.link_unknown": "Espace personnel : lien de connexion inconnu",
        "personspace.logout": "Espace personnel : déconnexion",
        "personspace.api.session_opened": "Application mobile : connexion",
        "personspace.api.session_closed": "Application mobile : déconnexion",
        "personspace.invitation.sent": "Invitation à l'espace personnel envoyée",
        "personspace.contact.changed": "Coordonnée de connexion changée (ancienne coordonnée prévenue)",
        "personspace.contact.confirmed": "Changement de coordonnée confirmé",
        "personspace.login.held": "Espace personnel : connexion avec une coordonnée non confirmée (retenue)",
        "personspace.appointment.confirmed": "Rendez-vous confirmé par la personne",
        "personspace.appointment.move_requested": "Report d'un rendez-vous demandé par la personne",
        "personspace.contract.approved": "Contrat d'engagement approuvé par la personne",
        "personspace.consent.given": "Consentement au partage donné par la personne (espace personnel)",
        "personspace.consent.withdrawn": "Consentement au partage retiré par la personne (espace personnel)",
        "personspace.data.downloaded": "Données téléchargées par la personne (espace personnel)",
    }
