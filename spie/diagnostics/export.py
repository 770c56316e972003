"""The diagnostics in the person's own data export (RGPD right of access): everything, in words."""

from .display import ReferentialLabels, sections_view
from .models import Diagnostic


def person_export_section(person):
    rows = []
    diagnostics = Diagnostic.objects.filter(person=person).select_related("referential_version").order_by("number")
    for diagnostic in diagnostics.prefetch_related("situations"):
        labels = ReferentialLabels.load(diagnostic.referential_version)
        row = {
            "version": diagnostic.number,
            "statut": diagnostic.get_status_display(),
            "valide_le": diagnostic.validated_at.isoformat() if diagnostic.validated_at else None,
        }
        for _, fields in sections_view(diagnostic, show_sensitive=True, labels=labels):
            row.update(dict(fields))
        row["situations"] = "; ".join(
            f"{labels.theme_label(s.theme_code)} — {labels.situation_label(s.situation_code)} : {s.get_level_display()}"
            + (f" ({s.comment})" if s.comment else "")
            for s in diagnostic.situations.all()
        )
        rows.append(row)
    return rows
