from django.apps import AppConfig


class CasereviewsConfig(AppConfig):
    name = "spie.casereviews"
    label = "casereviews"
    verbose_name = "Examens de situations"
