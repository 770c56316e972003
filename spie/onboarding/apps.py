from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "spie.onboarding"
    label = "onboarding"
    verbose_name = "Mise en service"

    def main_menu(self, membership):
        from django.urls import reverse

        from .perms import can_view_national_progress, can_view_territory_checklist

        if can_view_national_progress(membership):
            return [(90, "Mise en service", reverse("onboarding:national"))]
        territory = membership.organisation.territory if membership is not None else None
        if territory is not None and can_view_territory_checklist(membership, territory):
            return [(90, "Mise en service", reverse("onboarding:checklist", args=[territory.code]))]
        return []

    def onboarding_items(self, territories):
        """The items of territories and people, which stay unaware of onboarding."""
        from .items import people_items, territory_items

        items = territory_items(territories)
        for territory_pk, contributed in people_items(territories).items():
            items[territory_pk].extend(contributed)
        return items

    audit_labels = {
        "onboarding.territory_settings.updated": "Délais et périodes du territoire modifiés",
    }

    help_texts = {
        "onboarding:checklist": (
            "Cette liste suit la mise en service du territoire : chaque étape se coche toute seule quand elle "
            "est faite.\n\n"
            "- Suivez l'ordre : délais, structures, professionnels, chargé·es d'orientation, personnes.\n"
            "- Chaque lien mène à la page où l'étape se fait.\n"
            "- Les étapes des autres modules (offres, entreprises, équipes pluridisciplinaires) "
            "apparaissent quand ces modules sont en service."
        ),
        "onboarding:national": (
            "L'avancement de la mise en service de chaque territoire. Ouvrez un territoire pour voir les étapes "
            "restantes ; pour un nouveau territoire, importez vous-même ses structures et ses professionnels."
        ),
        "onboarding:settings": (
            "Les délais et périodes s'appliquent aux alertes et aux tableaux de bord du territoire.\n\n"
            "- Laissez un champ vide pour garder la valeur nationale (indiquée sous le champ).\n"
            "- Chaque modification est tracée dans le journal d'audit."
        ),
    }
