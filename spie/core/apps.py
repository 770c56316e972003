from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "spie.core"
    label = "core"
    verbose_name = "Socle"

    audit_labels = {
        "core.list.exported": "Export d'une liste en CSV",
    }

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
