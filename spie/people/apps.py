from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "spie.people"
    label = "people"
    verbose_name = "Personnes accompagnées"

    def main_menu(self, membership):
        from django.urls import reverse

        if membership is None or membership.organisation.territory_id is None:
            return []
        return [(10, "Personnes suivies", reverse("people:caseload"))]

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_view_access_log

        tabs = [
            (0, "synthese", "Synthèse", reverse("people:detail", args=[person.public_id])),
            (10, "equipe", "Équipe de suivi", reverse("people:team", args=[person.public_id])),
            (80, "historique", "Historique", reverse("people:history", args=[person.public_id])),
        ]
        if can_view_access_log(membership, person):
            tabs.append((90, "acces", "Accès", reverse("people:access_log", args=[person.public_id])))
        return tabs

    def before_deactivation(self, membership):
        """A referent's caseload must be handed over before their membership is deactivated."""
        from .bulk import before_deactivation

        return before_deactivation(membership)

    audit_labels = {
        "people.person.created": "Création du dossier",
        "people.person.updated": "Modification du dossier",
        "people.person.imported": "Dossier créé ou mis à jour par import",
        "people.person.anonymised": "Dossier anonymisé",
        "people.person.exported": "Export des données de la personne",
        "people.identity.shown": "Identité affichée (doublon possible à la création d'un dossier)",
        "people.consent.given": "Consentement au partage donné",
        "people.consent.withdrawn": "Consentement au partage retiré",
        "people.join_request.created": "Demande pour rejoindre l'équipe de suivi",
        "people.join_request.approved": "Demande acceptée : entrée dans l'équipe de suivi",
        "people.join_request.refused": "Demande pour rejoindre l'équipe refusée",
        "people.referent.changed": "Changement de référent·e",
        "people.team_member.left": "Sortie de l'équipe de suivi",
        "people.team_member.added": "Entrée dans l'équipe de suivi",
        "people.sensitive_access.granted": "Habilitation aux informations sensibles accordée",
        "people.sensitive_access.revoked": "Habilitation aux informations sensibles retirée",
        "people.search.identity": "Recherche exacte d'identité",
        "people.search.limited": "Recherche exacte d'identité refusée (trop de recherches)",
        "people.search.alerted": "Alerte aux coordinateurs : recherches d'identité nombreuses",
    }
