"""The minutes of a session as a PDF (fpdf2 core fonts: text kept to Latin-1). Each case appears
in the form the reader may see it: named, or pseudonymised (initials, age band, area)."""

from django.utils import timezone
from fpdf import FPDF

from spie.pathways.pdf import _text


def _day(value):
    return value.strftime("%d/%m/%Y") if value else "-"


def _line(pdf, text, style="", size=10, height=5):
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(pdf.epw, height, _text(text), new_x="LMARGIN", new_y="NEXT")


def minutes_pdf(session, shown, attendances):
    """`shown`: [(case, presentation)] as returned by `selectors.shown_cases`."""
    body = session.body
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Compte rendu - {body.name}"))
    pdf.set_author("Plateforme SPIE")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _line(pdf, f"Compte rendu de séance - {body.name}", "B", 16, 8)
    _line(pdf, f"{body.get_kind_display()} - séance du {timezone.localtime(session.starts_at):%d/%m/%Y à %H:%M}")
    _line(pdf, f"Lieu : {session.place or 'visioconférence'}")
    if session.minutes_signed_at:
        signer = session.minutes_signed_by.user.get_full_name() if session.minutes_signed_by else "-"
        _line(pdf, f"Signé le {timezone.localtime(session.minutes_signed_at):%d/%m/%Y} par {signer}")
    else:
        _line(pdf, "Projet de compte rendu : non signé.", "I")
    pdf.ln(3)
    _line(pdf, "Présences", "B", 12, 7)
    for row in attendances:
        _line(pdf, f"- {row.member.display_name} : {row.get_status_display()}")
    if body.is_legal and body.quorum:
        _line(
            pdf,
            f"Quorum : {body.quorum} membres présents requis - "
            f"{'atteint' if session.quorum_reached else 'non atteint'}.",
        )
    if session.minutes:
        pdf.ln(2)
        _line(pdf, "Points généraux", "B", 12, 7)
        _line(pdf, session.minutes)
    for case, person in shown:
        pdf.ln(3)
        _line(pdf, f"Situation : {person.label} - {person.age_band} - {person.area}", "B", 12, 7)
        _line(pdf, f"Présentée par : {case.referred_by.organisation.name} - proposée le {_day(case.referred_on)}")
        _line(pdf, f"Question posée : {case.question}")
        if case.summary:
            _line(pdf, f"Situation : {case.summary}")
        if case.notes:
            _line(pdf, f"Notes : {case.notes}")
        if case.opinion:
            _line(pdf, f"Avis de l'instance : {case.opinion}")
        for decision in case.decisions.all():
            opinion = f" ({decision.get_opinion_display().lower()})" if decision.opinion else ""
            _line(pdf, f"- {decision.get_kind_display()}{opinion} : {decision.detail}")
        for action in case.actions.all():
            owner = action.owner_organisation.name
            if action.owner_membership_id:
                owner += f", {action.owner_membership.user.get_full_name()}"
            _line(
                pdf,
                f"- Action : {action.title} - {owner} - échéance {_day(action.due_on)} "
                f"({action.get_status_display().lower()})",
            )
    return bytes(pdf.output())
