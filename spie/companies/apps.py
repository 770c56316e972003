from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "spie.companies"
    label = "companies"
    verbose_name = "Entreprises"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_use_companies

        if not can_use_companies(membership):
            return []
        return [(50, "Entreprises", reverse("companies:list"))]

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_see_person_companies, can_work_with_person

        tabs = []
        if can_see_person_companies(membership, person):
            tabs.append(
                (
                    50,
                    "immersions",
                    "Immersions et formations",
                    reverse("companies:person_immersions", args=[person.public_id]),
                )
            )
        if can_work_with_person(membership, person):
            tabs.append(
                (
                    55,
                    "entreprises",
                    "Entreprises proches",
                    reverse("companies:person_companies", args=[person.public_id]),
                )
            )
        return tabs

    audit_labels = {
        "companies.company.created": "Entreprise ajoutée à l'annuaire",
        "companies.company.updated": "Fiche entreprise modifiée",
        "companies.company.imported": "Entreprise créée ou mise à jour par import",
        "companies.company.deactivated": "Entreprise retirée de l'annuaire actif",
        "companies.company.reactivated": "Entreprise réactivée",
        "companies.contact.added": "Contact d'entreprise ajouté",
        "companies.contact.removed": "Contact d'entreprise retiré",
        "companies.job.added": "Métier de l'entreprise ajouté",
        "companies.job.updated": "Métier de l'entreprise modifié",
        "companies.job.removed": "Métier de l'entreprise retiré",
        "companies.opening.created": "Besoin de l'entreprise enregistré",
        "companies.opening.closed": "Besoin de l'entreprise clôturé",
        "companies.shortage.created": "Métier en tension ajouté",
        "companies.shortage.updated": "Métier en tension modifié",
        "companies.shortage.deleted": "Métier en tension retiré",
        "companies.shortage.imported": "Liste des métiers en tension importée",
        "companies.contact_request.sent": "Demande de contact envoyée à une entreprise",
        "companies.contact_request.accepted": "Demande de contact acceptée par l'entreprise",
        "companies.contact_request.refused": "Demande de contact refusée par l'entreprise",
        "companies.contact_request.expired": "Demande de contact sans réponse (lien expiré)",
        "companies.link.used": "Lien sécurisé utilisé",
        "companies.link.refused": "Lien sécurisé refusé (expiré, déjà utilisé ou remplacé)",
        "companies.immersion.created": "Immersion proposée (brouillon)",
        "companies.immersion.updated": "Immersion modifiée",
        "companies.immersion.submitted": "Immersion soumise aux signatures",
        "companies.immersion.link_resent": "Nouveau lien de signature envoyé",
        "companies.immersion.signed_by_person": "Convention d'immersion signée par la personne",
        "companies.immersion.signed_by_company": "Convention d'immersion signée par l'entreprise",
        "companies.immersion.validated": "Convention d'immersion validée par la structure prescriptrice",
        "companies.immersion.started": "Début de l'immersion",
        "companies.immersion.cancelled": "Immersion annulée",
        "companies.immersion.assessed": "Bilan de l'immersion",
        "companies.hire.recorded": "Embauche à l'issue d'une immersion",
        "companies.training.created": "Session de formation ajoutée",
        "companies.training.updated": "Session de formation modifiée",
        "companies.positioning.created": "Positionnement sur une formation",
        "companies.positioning.enrolled": "Inscription en formation",
        "companies.positioning.entered": "Entrée en formation",
        "companies.positioning.completed": "Fin de formation",
        "companies.positioning.dropped_out": "Abandon de formation",
        "companies.event.created": "Événement entreprises créé",
        "companies.event.updated": "Événement entreprises modifié",
        "companies.event.invited": "Invitation à un événement entreprises",
        "companies.event.attended": "Présence à un événement entreprises",
        "companies.event.absent": "Absence à un événement entreprises",
        "companies.event.outcomes_recorded": "Bilan d'un événement entreprises",
    }
