from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spie.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_view_audit_log

        items = [(0, "Accueil", reverse("accounts:home"))]
        if membership is not None:
            items.append((80, "Ma structure", reverse("accounts:my_organisation")))
        if can_view_audit_log(membership):
            items.append((95, "Journal d'audit", reverse("accounts:audit_log")))
        return items

    audit_labels = {
        "accounts.invitation.created": "Invitation envoyée",
        "accounts.invitation.accepted": "Invitation acceptée",
        "accounts.membership.role_changed": "Rôle modifié",
        "accounts.membership.deactivated": "Membre désactivé",
        "accounts.user.updated": "Profil modifié",
        "accounts.api_token.created": "Jeton d'API créé",
        "accounts.api_token.revoked": "Jeton d'API révoqué",
    }
