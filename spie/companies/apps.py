from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "spie.companies"
    label = "companies"
    verbose_name = "Entreprises"
