from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spie.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    audit_labels = {
        "accounts.invitation.created": "Invitation envoyée",
        "accounts.invitation.accepted": "Invitation acceptée",
        "accounts.membership.role_changed": "Rôle modifié",
        "accounts.membership.deactivated": "Membre désactivé",
        "accounts.user.updated": "Profil modifié",
        "accounts.api_token.created": "Jeton d'API créé",
        "accounts.api_token.revoked": "Jeton d'API révoqué",
    }
