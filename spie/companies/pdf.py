"""The immersion agreement as a PDF (fpdf2, core fonts: text is kept to Latin-1)."""

from django.utils import timezone
from fpdf import FPDF

from .enums import ImmersionStatus

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
    "\u202f": " ",
    "\u00a0": " ",
}


def _latin1(text):
    text = str(text or "")
    for source, target in REPLACEMENTS.items():
        text = text.replace(source, target)
    return text.encode("latin-1", "replace").decode("latin-1")


def _when(value):
    return timezone.localtime(value).strftime("%d/%m/%Y à %H:%M") if value else "-"


def agreement_pdf(immersion):
    """The agreement's bytes: parties, objective, dates and hours, signatures and validation."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Convention d'immersion - {immersion.company.name}"))
    pdf.set_author("Plateforme SPIE")
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=15)
    width = pdf.epw

    def heading(text):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 7, _latin1(text))
        pdf.set_font("Helvetica", "", 10)

    def line(label, value):
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width, 5, _latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, _latin1(value or "-"))

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(width, 8, _latin1("Convention de période de mise en situation en milieu professionnel (PMSMP)"))
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(width, 5, _latin1(f"Référence : {immersion.public_id} - statut : {immersion.get_status_display()}"))

    person = immersion.person
    heading("1. La personne en immersion")
    line("Nom et prénoms", person.full_name)
    line("Date de naissance", person.birth_date.strftime("%d/%m/%Y"))
    line("Coordonnées", " - ".join(filter(None, [person.email, person.phone_display])))

    company = immersion.company
    heading("2. L'entreprise d'accueil")
    line("Raison sociale", f"{company.name} (SIRET {company.siret_display})")
    line("Activité", str(company.naf) if company.naf_id else "")
    line("Tuteur ou tutrice", f"{immersion.tutor.full_name} - {immersion.tutor.job_title} - {immersion.tutor.email}")

    heading("3. La structure prescriptrice")
    line("Structure", immersion.prescriber_organisation.name)
    line(
        "Professionnel prescripteur", f"{immersion.prescriber.user.get_full_name()} - {immersion.prescriber.user.email}"
    )

    heading("4. L'immersion")
    line("Objectif", immersion.get_objective_display())
    line("Métier observé", str(immersion.rome_job))
    line("Activités confiées", immersion.activities)
    line(
        "Dates",
        f"du {immersion.starts_on:%d/%m/%Y} au {immersion.ends_on:%d/%m/%Y} "
        f"({(immersion.ends_on - immersion.starts_on).days + 1} jours calendaires)",
    )
    line("Durée hebdomadaire", f"{immersion.weekly_hours} heures (au plus 35 heures)")
    line("Horaires", immersion.schedule)
    line("Lieu", f"{immersion.place_address}, {immersion.place_commune.name}")

    heading("5. Signatures et validation")
    line("Signée par la personne", _when(immersion.person_signed_at))
    signatory = f" par {immersion.company_signatory}" if immersion.company_signatory else ""
    line("Signée pour l'entreprise", _when(immersion.company_signed_at) + signatory)
    validated_by = immersion.validated_by.user.get_full_name() if immersion.validated_by_id else ""
    line(
        "Validée par la structure prescriptrice",
        _when(immersion.validated_at) + (f" par {validated_by}" if validated_by else ""),
    )
    if immersion.status == ImmersionStatus.CANCELLED:
        line("Annulée", f"{_when(immersion.cancelled_at)} - {immersion.get_cancel_reason_display()}")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        width,
        4,
        _latin1(
            "La personne reste sous le statut qui est le sien pendant l'immersion ; elle n'est pas rémunérée par "
            "l'entreprise. Signatures électroniques recueillies par liens personnels à usage unique, tracées dans "
            "le journal d'audit de la plateforme SPIE."
        ),
    )
    return bytes(pdf.output())
