from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spie.accounts"
    label = "accounts"
    verbose_name = "Comptes"
