"""Everything the space reads, always through the signed-in person: another person's object is
simply not found (404)."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone

from spie.companies.models import Immersion
from spie.offers.models import Referral
from spie.pathways.enums import AppointmentStatus, ContractStatus, Stage
from spie.pathways.models import Appointment, EngagementContract, Pathway
from spie.pathways.presenters import plan_rows
from spie.pathways.services_contracts import plan_hours

from .models import AppointmentAnswer, ContractApproval


def current_pathway(person):
    """The open pathway, else the latest one (None before any pathway)."""
    pathways = Pathway.objects.filter(person=person).select_related("referent__user", "referent_organisation")
    return pathways.exclude(stage=Stage.CLOSED).first() or pathways.order_by("-created_at").first()


def referent_contact(person):
    """The referent's name, structure and professional contacts (their seat in the team)."""
    seat = person.referent
    if seat is None:
        return None
    membership = seat.membership
    return {
        "name": membership.user.get_full_name(),
        "organisation": membership.organisation.name,
        "email": membership.user.email,
        "phone": membership.user.phone or membership.organisation.phone,
        "address": " ".join(filter(None, [membership.organisation.address, membership.organisation.postal_code])),
    }


def appointments(person):
    return Appointment.objects.filter(person=person).select_related("professional__user", "professional__organisation")


def upcoming_appointments(person):
    return appointments(person).filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")


def past_appointments(person):
    return appointments(person).filter(starts_at__lt=timezone.now()).order_by("-starts_at", "-pk")


def appointment_of(person, public_id):
    return get_object_or_404(appointments(person).select_related("person__territory"), public_id=public_id)


def current_contract(person):
    """The contract in preparation if there is one, else the one in force (None otherwise)."""
    contracts = EngagementContract.objects.filter(
        person=person, status__in=[ContractStatus.DRAFT, ContractStatus.SIGNED]
    ).select_related("pathway__referent__user", "pathway__referent__organisation", "signed_by__user")
    return next(
        (c for c in contracts if c.status == ContractStatus.DRAFT),
        next((c for c in contracts if c.status == ContractStatus.SIGNED), None),
    )


def to_do(person):
    """What waits for the person: upcoming appointments not answered yet, and whether the current
    contract still waits for their approval."""
    answered = AppointmentAnswer.objects.filter(appointment=OuterRef("pk"))
    appointments = (
        upcoming_appointments(person).filter(status=AppointmentStatus.PLANNED).exclude(Exists(answered)).count()
    )
    contract = (
        EngagementContract.objects.filter(person=person, status__in=[ContractStatus.DRAFT, ContractStatus.SIGNED])
        .exclude(Exists(ContractApproval.objects.filter(contract=OuterRef("pk"))))
        .exists()
    )
    return appointments, contract


def contract_of(person, public_id):
    return get_object_or_404(EngagementContract.objects.filter(person=person), public_id=public_id)


def contract_details(contract):
    return {
        "plan": plan_rows(contract),
        "hours": plan_hours(contract),
        "approval": ContractApproval.objects.filter(contract=contract).first(),
    }


def referrals(person):
    return (
        Referral.objects.filter(person=person)
        .select_related("offer__structure", "sender__organisation")
        .order_by("-sent_at", "-pk")
    )


def immersions(person):
    return (
        Immersion.objects.filter(person=person)
        .select_related("company", "rome_job", "prescriber_organisation")
        .order_by("-starts_on", "-pk")
    )


def access_logs(person):
    return person.access_logs.select_related("user", "organisation").order_by("-at", "-id")
