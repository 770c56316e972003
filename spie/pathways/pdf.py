"""The contrat d'engagement as a PDF (fpdf2 with its core fonts: text is kept to Latin-1)."""

from django.utils import timezone
from fpdf import FPDF

REPLACEMENTS = {
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "—": "-",
    "–": "-",
    "…": "...",
    "œ": "oe",
    "Œ": "OE",
    "€": "EUR",
    "·": ".",
    "\u202f": " ",
    "\u00a0": " ",
}


def _text(value):
    text = str(value or "")
    for source, target in REPLACEMENTS.items():
        text = text.replace(source, target)
    return text.encode("latin-1", "replace").decode("latin-1")


def _day(value):
    return value.strftime("%d/%m/%Y") if value else "-"


def contract_pdf(person, contract, rows):
    """The bytes of the PDF: parties, plan (objectives, actions, hours), exemption, signatures."""
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Contrat d'engagement - version {contract.version}"))
    pdf.set_author("Plateforme SPIE")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, _text("Contrat d'engagement réciproque"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        width,
        5,
        _text(
            f"Version {contract.version} - {contract.get_status_display()} - "
            f"Service public de l'insertion et de l'emploi"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(width, 7, _text("Les parties"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    referent = contract.signed_by or contract.pathway.referent
    lines = [
        f"Personne accompagnée : {person.full_name}, née ou né le {_day(person.birth_date)}",
        f"Parcours : {contract.pathway.get_pathway_type_display() or '-'}",
    ]
    if referent is not None:
        lines.append(f"Référent·e : {referent.user.get_full_name()} ({referent.organisation.name})")
    if contract.due_on:
        lines.append(f"À signer avant le {_day(contract.due_on)} (un mois après l'orientation notifiée)")
    for line in lines:
        pdf.multi_cell(width, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(width, 7, _text("Plan d'action"), new_x="LMARGIN", new_y="NEXT")
    for row in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width, 5, _text(f"Objectif : {row.label} ({row.theme})"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for action in row.actions:
            item = action.item
            dates = f"du {_day(item.starts_on)} au {_day(item.ends_on)}" if item.starts_on or item.ends_on else ""
            pdf.multi_cell(
                width,
                5,
                _text(
                    f"  - {action.label} : {item.weekly_hours} h par semaine, "
                    f"{item.get_status_display().lower()} {dates}"
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(1)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 10)
    hours = (
        contract.weekly_hours
        if contract.status != "brouillon"
        else sum((a.item.weekly_hours for r in rows for a in r.actions if a.item.status in ("prevue", "en_cours")), 0)
    )
    pdf.multi_cell(width, 5, _text(f"Total : {hours} heures d'activité par semaine"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    if contract.exemption_reason:
        pdf.multi_cell(
            width,
            5,
            _text(
                f"Dérogation aux 15 heures : {contract.get_exemption_reason_display()} - {contract.exemption_detail}"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(width, 7, _text("Signatures"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        width,
        5,
        _text(
            f"La personne accompagnée, le {_day(contract.person_signed_on)}.    "
            f"Le ou la référent·e, le {_day(contract.referent_signed_on)}."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        width,
        4,
        _text(
            f"Document produit par la plateforme SPIE le {timezone.localdate():%d/%m/%Y}. Une version signée "
            "n'est jamais modifiée : une révision donne une nouvelle version."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
