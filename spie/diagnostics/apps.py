from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "spie.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics"

    def person_tabs(self, membership, person):
        from django.urls import reverse

        from .perms import can_view_diagnostics

        if not can_view_diagnostics(membership, person):
            return []
        return [(20, "diagnostic", "Diagnostic", reverse("diagnostics:person", args=[person.public_id]))]

    def person_export(self, person):
        from .export import person_export_section

        return [(20, "diagnostics", person_export_section(person))]

    audit_labels = {
        "diagnostics.diagnostic.started": "Diagnostic socio-professionnel commencé",
        "diagnostics.diagnostic.updated": "Diagnostic socio-professionnel modifié (brouillon)",
        "diagnostics.diagnostic.validated": "Diagnostic socio-professionnel validé",
        "diagnostics.diagnostic.cosigned": "Diagnostic socio-professionnel co-signé",
        "diagnostics.diagnostic.abandoned": "Brouillon de diagnostic abandonné",
        "diagnostics.author.added": "Co-auteur ajouté au diagnostic",
    }
