"""The case reviews in the person's own data export (RGPD right of access): plain values."""

from .models import ReviewCase


def _day(value):
    return value.isoformat() if value else None


def _opinion(decision):
    return f" ({decision.get_opinion_display().lower()})" if decision.opinion else ""


def person_export_sections(person):
    cases = [
        {
            "proposee_le": _day(case.referred_on),
            "instance": case.get_body_kind_display(),
            "statut": case.get_status_display(),
            "accord_recueilli_le": _day(case.consent_on),
            "question": case.question,
            "resume": case.summary,
            "examinee_le": _day(case.discussed_on),
            "avis": case.opinion,
            "decisions": "; ".join(f"{d.get_kind_display()}{_opinion(d)} : {d.detail}" for d in case.decisions.all()),
            "actions": "; ".join(
                f"{a.title} — {a.owner_organisation.name}, échéance {a.due_on:%d/%m/%Y}, "
                f"{a.get_status_display().lower()}"
                for a in case.actions.all()
            ),
        }
        for case in ReviewCase.objects.filter(person=person)
        .prefetch_related("decisions", "actions__owner_organisation")
        .order_by("referred_on", "pk")
    ]
    return [(40, "instances", cases)]
