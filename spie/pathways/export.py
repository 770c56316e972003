"""The pathway in the person's own data export (RGPD right of access): plain values, in words."""

from .models import Appointment, EmploymentFollowUp, EngagementContract, Pathway, StatusReview
from .presenters import plan_rows


def _day(value):
    return value.isoformat() if value else None


def person_export_sections(person):
    pathways = [
        {
            "etape": p.get_stage_display(),
            "depuis": _day(p.stage_since),
            "type_de_parcours": p.get_pathway_type_display(),
            "entree": _day(p.entered_on),
            "orientation": _day(p.oriented_on),
            "clos_le": _day(p.closed_on),
            "motif_de_cloture": p.get_closing_reason_display(),
        }
        for p in Pathway.objects.filter(person=person).order_by("entered_on")
    ]
    contracts = [
        {
            "version": c.version,
            "statut": c.get_status_display(),
            "heures_par_semaine": str(c.weekly_hours),
            "derogation": c.get_exemption_reason_display(),
            "signe_par_la_personne_le": _day(c.person_signed_on),
            "plan": "; ".join(
                f"{row.label} : " + ", ".join(f"{a.label} ({a.item.weekly_hours} h)" for a in row.actions)
                for row in plan_rows(c)
            ),
        }
        for c in EngagementContract.objects.filter(person=person).order_by("version")
    ]
    appointments = [
        {
            "date": a.starts_at.isoformat(),
            "nature": a.get_kind_display(),
            "modalite": a.get_channel_display(),
            "statut": a.get_status_display(),
        }
        for a in Appointment.objects.filter(person=person).order_by("starts_at")
    ]
    reviews = [
        {"date": _day(r.reviewed_on), "conclusion": r.get_outcome_display(), "commentaire": r.comment}
        for r in StatusReview.objects.filter(person=person).order_by("reviewed_on")
    ]
    jobs = [
        {
            "employeur": f.employer_name,
            "contrat": f.get_contract_type_display(),
            "debut": _day(f.start_date),
            "emploi_durable": f.is_durable,
            "suivi": f.get_status_display(),
        }
        for f in EmploymentFollowUp.objects.filter(person=person).order_by("start_date")
    ]
    return [
        (35, "parcours", pathways),
        (36, "contrats_engagement", contracts),
        (37, "rendez_vous", appointments),
        (38, "points_de_situation", reviews),
        (39, "suivi_dans_l_emploi", jobs),
    ]
