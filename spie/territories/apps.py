from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "spie.territories"
    label = "territories"
    verbose_name = "Territoires"

    def main_menu(self, membership):
        from django.urls import reverse

        from spie.accounts.perms import is_national_admin

        if is_national_admin(membership):
            return [(85, "Territoires", reverse("territories:list"))]
        if membership is not None and membership.organisation.territory_id:
            return [
                (85, "Mon territoire", reverse("territories:detail", args=[membership.organisation.territory.code]))
            ]
        return []

    audit_labels = {
        "territories.settings.role_types_changed": "Structures autorisées à porter un rôle territorial modifiées",
    }
