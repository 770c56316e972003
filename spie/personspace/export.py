"""The person's space in their own data export (RGPD right of access): what they said there."""

from .models import AppointmentAnswer, ContractApproval


def person_export_sections(person):
    answers = [
        {
            "le": answer.created_at.isoformat(),
            "rendez_vous": answer.appointment.starts_at.isoformat(),
            "reponse": answer.get_kind_display(),
            "message": answer.message,
            "creneaux_souhaites": answer.preferred_slots,
        }
        for answer in AppointmentAnswer.objects.filter(person=person)
        .select_related("appointment")
        .order_by("created_at")
    ]
    approvals = [
        {"contrat_version": approval.contract.version, "approuve_le": approval.approved_at.isoformat()}
        for approval in ContractApproval.objects.filter(person=person)
        .select_related("contract")
        .order_by("approved_at")
    ]
    return [(95, "reponses_aux_rendez_vous", answers), (96, "approbations_du_contrat", approvals)]
