from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spie.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_view_audit_log, can_view_territorial_roles

        items = [(0, "Accueil", reverse("accounts:home"))]
        if membership is not None:
            items.append((80, "Ma structure", reverse("accounts:my_organisation")))
        territory = membership.organisation.territory if membership and membership.organisation.territory_id else None
        if territory is not None and can_view_territorial_roles(membership, territory):
            items.append((88, "Rôles territoriaux", reverse("accounts:territorial_roles")))
        if can_view_audit_log(membership):
            items.append((95, "Journal d'audit", reverse("accounts:audit_log")))
        return items

    def onboarding_items(self, territories):
        """Structures, professionals and orientation officers of each territory (see spie.onboarding)."""
        from .onboarding import onboarding_items

        return onboarding_items(territories)

    audit_labels = {
        "accounts.invitation.created": "Invitation envoyée",
        "accounts.invitation.resent": "Invitation renvoyée",
        "accounts.invitation.accepted": "Invitation acceptée",
        "accounts.membership.role_changed": "Rôle modifié",
        "accounts.membership.territorial_role_granted": "Rôle territorial donné",
        "accounts.membership.territorial_role_withdrawn": "Rôle territorial retiré",
        "accounts.membership.deactivated": "Membre désactivé",
        "accounts.organisation.imported": "Structure créée par import",
        "accounts.organisation.updated": "Structure mise à jour par import",
        "accounts.user.updated": "Profil modifié",
        "accounts.user.unlock_link_sent": "Lien de déblocage du compte envoyé",
        "accounts.user.unlocked": "Compte débloqué par lien e-mail",
        "accounts.api_token.created": "Jeton d'API créé",
        "accounts.api_token.revoked": "Jeton d'API révoqué",
    }

    help_texts = {
        "accounts:home": (
            "Cette page d'accueil rassemble vos accès. La structure et le rôle en cours sont affichés en haut : "
            "si vous travaillez pour plusieurs structures, changez-en dans l'en-tête.\n\n"
            "- « Personnes suivies » : les personnes dont vous faites partie de l'équipe de suivi.\n"
            "- « Ma structure » : vos collègues, et pour les gestionnaires les invitations.\n"
            "- « Aide », en haut de chaque page : le guide de votre premier jour."
        ),
        "accounts:organisation_detail": (
            "La fiche de la structure liste ses membres et leur rôle.\n\n"
            "- Pour faire venir un collègue : « Inviter un professionnel » ; il reçoit un lien valable 7 jours.\n"
            "- Une invitation non reçue ou expirée se renvoie depuis « Invitations en attente ».\n"
            "- Quand un collègue part : « Désactiver ». S'il est référent de personnes, vous confiez d'abord "
            "ces personnes à d'autres professionnels ; son historique reste conservé."
        ),
        "accounts:territorial_roles": (
            "Les rôles territoriaux (chargé·e d'orientation, coordinateur·rice) ouvrent les dossiers de tout le "
            "territoire.\n\n"
            "- Le ou la coordinateur·rice donne le rôle de chargé·e d'orientation, avec un motif ; un administrateur "
            "national donne celui de coordinateur·rice.\n"
            "- Seuls les membres du Département, de France Travail et des types de structures désignés par le "
            "territoire peuvent les recevoir.\n"
            "- « Structure non autorisée » ou « Sans motif » : un rôle donné avant cette règle, à vérifier ou retirer."
        ),
        "accounts:invitations": (
            "Suivez ici l'envoi des invitations : elles partent en arrière-plan, par lots.\n\n"
            "- « En attente d'envoi » : l'e-mail partira dans quelques instants.\n"
            "- « Échec de l'envoi » : vérifiez l'adresse, puis renvoyez l'invitation.\n"
            "- Un lien expire au bout de 7 jours : renvoyer l'invitation crée un nouveau lien."
        ),
        "accounts:import_organisations": (
            "Importez les structures partenaires du territoire depuis un tableur enregistré en CSV.\n\n"
            "- Le fichier est vérifié avant tout enregistrement : l'aperçu donne chaque ligne rejetée et sa raison.\n"
            "- Une structure déjà connue (même SIRET) est mise à jour, jamais dupliquée.\n"
            "- Ensuite, importez les professionnels de ces structures."
        ),
        "accounts:import_professionals": (
            "Importez les professionnels des structures du territoire : chacun reçoit une invitation par e-mail.\n\n"
            "- Les structures doivent déjà exister : importez-les d'abord.\n"
            "- Un professionnel qui a déjà un compte reçoit un second rattachement, pas un second compte.\n"
            "- Les e-mails partent en arrière-plan : suivez leur envoi sur la page « Invitations »."
        ),
    }
