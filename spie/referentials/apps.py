from django.apps import AppConfig


class ReferentialsConfig(AppConfig):
    name = "spie.referentials"
    label = "referentials"
    verbose_name = "Référentiels"

    def main_menu(self, membership):
        from django.urls import reverse

        return [(90, "Référentiels", reverse("referentials:index"))]
