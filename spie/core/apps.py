from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "spie.core"
    label = "core"
    verbose_name = "Socle"

    audit_labels = {
        "core.list.exported": "Export d'une liste en CSV",
    }

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .middleware import start_activity_clock

        user_logged_in.connect(start_activity_clock, dispatch_uid="spie.core.start_activity_clock")
