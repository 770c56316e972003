"""The immersion agreement (PMSMP): one service per transition of IMMERSION_TRANSITIONS.

brouillon → soumise → signée par la personne → signée par l'entreprise → validée par la
structure prescriptrice → en cours → terminée (with its assessment), or annulée (with a reason)
from any open step. Signatures go through secure links (see links.py).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.core.errors import DomainError
from spie.people.perms import team_seat
from spie.people.services import record_file_write

from . import links, policies
from .enums import (
    ACTIVE_IMMERSION_STATUSES,
    IMMERSION_TRANSITIONS,
    AssessmentOutcome,
    CancelReason,
    ImmersionStatus,
    LinkPurpose,
)
from .models import Immersion, ImmersionAssessment
from .pdf import agreement_pdf
from .services import send_soon

IMMERSION_FIELDS = [
    "objective",
    "rome_job",
    "activities",
    "starts_on",
    "ends_on",
    "weekly_hours",
    "schedule",
    "place_address",
    "place_commune",
]


def _transition(immersion, status):
    if status not in IMMERSION_TRANSITIONS[immersion.status]:
        raise DomainError(
            f"Cette immersion est « {immersion.get_status_display().lower()} » : "
            f"elle ne peut pas passer à « {ImmersionStatus(status).label.lower()} »."
        )
    immersion.status = status


def _locked(immersion):
    return (
        Immersion.objects.select_for_update(of=("self",))
        .select_related("person__territory", "company", "tutor", "prescriber__user", "rome_job")
        .get(pk=immersion.pk)
    )


def check_schedule(*, starts_on, ends_on, weekly_hours, today=None):
    """The refusals of an agreement's dates and hours, with the field they concern."""
    today = today or timezone.localdate()
    if starts_on is None or ends_on is None:
        raise DomainError("Indiquez les dates de début et de fin.", field="starts_on")
    if ends_on < starts_on:
        raise DomainError("Dates incohérentes : la date de fin précède la date de début.", field="ends_on")
    if starts_on < today:
        raise DomainError("Dates incohérentes : l'immersion ne peut pas commencer dans le passé.", field="starts_on")
    if (ends_on - starts_on).days + 1 > policies.IMMERSION_MAX_DAYS:
        raise DomainError(
            f"Une immersion dure au plus {policies.IMMERSION_MAX_DAYS} jours calendaires : raccourcissez-la.",
            field="ends_on",
        )
    if weekly_hours is None or Decimal(weekly_hours) <= 0:
        raise DomainError("Indiquez la durée hebdomadaire de présence.", field="weekly_hours")
    if Decimal(weekly_hours) > policies.IMMERSION_MAX_WEEKLY_HOURS:
        raise DomainError(
            f"La durée hebdomadaire ne peut pas dépasser {policies.IMMERSION_MAX_WEEKLY_HOURS} heures "
            f"({weekly_hours} h demandées).",
            field="weekly_hours",
        )


def _check_capacity(immersion):
    """The company's monthly capacity, counting the agreements under way that month."""
    company = immersion.company
    first = immersion.starts_on.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    taken = (
        Immersion.objects.filter(
            company=company, status__in=ACTIVE_IMMERSION_STATUSES, starts_on__lt=next_month, ends_on__gte=first
        )
        .exclude(pk=immersion.pk)
        .count()
    )
    if taken >= company.immersion_capacity:
        raise DomainError(
            f"{company.name} accueille au plus {company.immersion_capacity} immersion(s) par mois, "
            f"et ce mois-là est déjà complet.",
            field="starts_on",
        )


def _check_overlap(immersion):
    overlapping = (
        Immersion.objects.filter(
            person_id=immersion.person_id,
            status__in=ACTIVE_IMMERSION_STATUSES,
            starts_on__lte=immersion.ends_on,
            ends_on__gte=immersion.starts_on,
        )
        .exclude(pk=immersion.pk)
        .exists()
    )
    if overlapping:
        raise DomainError("La personne a déjà une immersion sur ces dates.", field="starts_on")


def _check_parties(person, company, tutor, by):
    if team_seat(by.membership, person) is None:
        raise DomainError("Seuls les membres de l'équipe de suivi peuvent proposer une immersion.")
    if not person.consent_given:
        raise DomainError(
            "La personne n'a pas consenti au partage de ses informations : recueillez son consentement avant "
            "de transmettre une convention à une entreprise."
        )
    if company.territory_id != person.territory_id:
        raise DomainError("L'entreprise n'est pas dans le territoire de la personne.", field="company")
    if not company.is_active:
        raise DomainError("Cette entreprise n'est plus active.", field="company")
    if tutor is None or tutor.company_id != company.pk:
        raise DomainError("Choisissez le tuteur ou la tutrice parmi les contacts de l'entreprise.", field="tutor")


def _audit(immersion, *, by, action, what, data=None):
    record_file_write(
        immersion.person,
        by=by,
        action=action,
        what=what,
        target=immersion,
        data={"company": str(immersion.company.public_id), "status": immersion.status, **(data or {})},
    )


@transaction.atomic
def create_immersion(*, person, company, tutor, data, by):
    """A draft agreement, prescribed by the author's structure."""
    _check_parties(person, company, tutor, by)
    check_schedule(starts_on=data["starts_on"], ends_on=data["ends_on"], weekly_hours=data["weekly_hours"])
    immersion = Immersion(
        territory_id=person.territory_id,
        person=person,
        company=company,
        tutor=tutor,
        prescriber=by.membership,
        prescriber_organisation=by.membership.organisation,
        **{name: data[name] for name in IMMERSION_FIELDS},
    )
    immersion.save()
    _audit(immersion, by=by, action="companies.immersion.created", what="Immersion proposée (brouillon)")
    return immersion


@transaction.atomic
def update_immersion(*, immersion, data, tutor=None, by):
    immersion = _locked(immersion)
    if not immersion.is_editable:
        raise DomainError("Seul un brouillon peut être modifié : annulez et proposez une nouvelle immersion.")
    check_schedule(starts_on=data["starts_on"], ends_on=data["ends_on"], weekly_hours=data["weekly_hours"])
    if tutor is not None:
        if tutor.company_id != immersion.company_id:
            raise DomainError("Choisissez le tuteur ou la tutrice parmi les contacts de l'entreprise.", field="tutor")
        immersion.tutor = tutor
    changed = [name for name in IMMERSION_FIELDS if getattr(immersion, name) != data[name]]
    for name in IMMERSION_FIELDS:
        setattr(immersion, name, data[name])
    immersion.save()
    _audit(
        immersion,
        by=by,
        action="companies.immersion.updated",
        what="Modification d'une immersion",
        data={"fields": changed},
    )
    return immersion


def _send_person_link(immersion):
    link, raw = links.issue_link(
        purpose=LinkPurpose.SIGN_PERSON,
        email=immersion.person.email,
        territory_id=immersion.territory_id,
        validity_days=policies.SIGNATURE_LINK_VALIDITY_DAYS,
        immersion=immersion,
    )
    send_soon(
        "Votre convention d'immersion à signer",
        "emails/companies_sign_person.txt",
        {"immersion": immersion, "link": links.url_for(raw), "expires_at": link.expires_at},
        [immersion.person.email],
    )
    return raw


def _send_company_link(immersion):
    link, raw = links.issue_link(
        purpose=LinkPurpose.SIGN_COMPANY,
        email=immersion.tutor.email,
        territory_id=immersion.territory_id,
        validity_days=policies.SIGNATURE_LINK_VALIDITY_DAYS,
        immersion=immersion,
    )
    send_soon(
        f"Convention d'immersion à signer — {immersion.company.name}",
        "emails/companies_sign_company.txt",
        {"immersion": immersion, "link": links.url_for(raw), "expires_at": link.expires_at},
        [immersion.tutor.email],
    )
    return raw


@transaction.atomic
def submit_immersion(*, immersion, by):
    """Check the agreement and send the person their signature link."""
    immersion = _locked(immersion)
    _transition(immersion, ImmersionStatus.SUBMITTED)
    check_schedule(starts_on=immersion.starts_on, ends_on=immersion.ends_on, weekly_hours=immersion.weekly_hours)
    _check_parties(immersion.person, immersion.company, immersion.tutor, by)
    if not immersion.person.email:
        raise DomainError(
            "La personne n'a pas d'adresse e-mail : ajoutez-la à son dossier pour qu'elle reçoive le lien de signature."
        )
    _check_capacity(immersion)
    _check_overlap(immersion)
    immersion.submitted_at = timezone.now()
    immersion.save()
    raw = _send_person_link(immersion)
    _audit(immersion, by=by, action="companies.immersion.submitted", what="Immersion soumise aux signatures")
    return immersion, raw


@transaction.atomic
def resend_signature_link(*, immersion, by):
    """A new link for the signature awaited (the previous one stops working)."""
    immersion = _locked(immersion)
    if immersion.status == ImmersionStatus.SUBMITTED:
        raw, who = _send_person_link(immersion), "person"
    elif immersion.status == ImmersionStatus.SIGNED_PERSON:
        raw, who = _send_company_link(immersion), "company"
    else:
        raise DomainError("Aucune signature n'est attendue pour cette immersion.")
    _audit(
        immersion,
        by=by,
        action="companies.immersion.link_resent",
        what="Nouveau lien de signature",
        data={"signatory": who},
    )
    return immersion, raw


@transaction.atomic
def sign_as_person(*, link):
    """The person signs through their link; the tutor then receives the company's link."""
    link = links.consume(link, purpose=LinkPurpose.SIGN_PERSON)
    immersion = _locked(link.immersion)
    _transition(immersion, ImmersionStatus.SIGNED_PERSON)
    immersion.person_signed_at = timezone.now()
    immersion.save()
    raw = _send_company_link(immersion)
    _audit(immersion, by=None, action="companies.immersion.signed_by_person", what="Convention signée par la personne")
    return immersion, raw


@transaction.atomic
def sign_as_company(*, link, signatory_name):
    """The tutor (or the company's signatory) signs through their link; the prescriber is told."""
    signatory_name = (signatory_name or "").strip()
    if not signatory_name:
        raise DomainError("Indiquez le nom de la personne qui signe pour l'entreprise.", field="signatory_name")
    link = links.consume(link, purpose=LinkPurpose.SIGN_COMPANY)
    immersion = _locked(link.immersion)
    _transition(immersion, ImmersionStatus.SIGNED_COMPANY)
    immersion.company_signed_at = timezone.now()
    immersion.company_signatory = signatory_name[:150]
    immersion.save()
    _audit(
        immersion, by=None, action="companies.immersion.signed_by_company", what="Convention signée par l'entreprise"
    )
    send_soon(
        "Plateforme SPIE : convention d'immersion signée, à valider",
        "emails/companies_immersion_signed.txt",
        {"immersion": immersion, "link": reverse("companies:immersion_detail", args=[immersion.public_id])},
        [immersion.prescriber.user.email],
    )
    return immersion


@transaction.atomic
def validate_immersion(*, immersion, by):
    """The prescribing structure validates the agreement signed by both parties."""
    immersion = _locked(immersion)
    _transition(immersion, ImmersionStatus.VALIDATED)
    check_schedule(starts_on=immersion.starts_on, ends_on=immersion.ends_on, weekly_hours=immersion.weekly_hours)
    immersion.validated_at, immersion.validated_by = timezone.now(), by.membership
    immersion.save()
    _audit(immersion, by=by, action="companies.immersion.validated", what="Convention d'immersion validée")
    _send_agreement(immersion)
    return immersion


def _send_agreement(immersion):
    """The confirmation to the person and the tutor, with the agreement as a PDF, after commit."""
    recipients = [email for email in (immersion.person.email, immersion.tutor.email) if email]
    body = render_to_string(
        "emails/companies_immersion_validated.txt", {"immersion": immersion, "site_url": settings.SITE_URL}
    )
    attachment = agreement_pdf(immersion)

    def send():
        message = EmailMessage("Votre immersion est confirmée", body, None, recipients)
        message.attach(f"convention-immersion-{immersion.public_id}.pdf", attachment, "application/pdf")
        message.send()

    if recipients:
        transaction.on_commit(send)


@transaction.atomic
def start_immersion(*, immersion, by):
    immersion = _locked(immersion)
    _transition(immersion, ImmersionStatus.IN_PROGRESS)
    if timezone.localdate() < immersion.starts_on:
        raise DomainError(
            f"L'immersion commence le {immersion.starts_on:%d/%m/%Y} : elle ne peut pas démarrer avant.",
        )
    immersion.started_at = timezone.now()
    immersion.save()
    _audit(immersion, by=by, action="companies.immersion.started", what="Début de l'immersion")
    return immersion


@transaction.atomic
def cancel_immersion(*, immersion, reason, details="", by):
    if reason not in CancelReason.values:
        raise DomainError("Indiquez le motif de l'annulation.", field="reason")
    if reason == CancelReason.OTHER and not details.strip():
        raise DomainError("Précisez le motif de l'annulation.", field="details")
    immersion = _locked(immersion)
    _transition(immersion, ImmersionStatus.CANCELLED)
    now = timezone.now()
    immersion.cancelled_at, immersion.cancel_reason, immersion.cancel_details = now, reason, details.strip()
    immersion.save()
    immersion.links.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    _audit(immersion, by=by, action="companies.immersion.cancelled", what="Immersion annulée", data={"reason": reason})
    return immersion


@transaction.atomic
def assess_immersion(*, immersion, data, by):
    """Close the immersion with its assessment. A hire (contract type and start date) is what
    the pathway's employment follow-up reads through `selectors.hires_for(person)`."""
    immersion = _locked(immersion)
    _transition(immersion, ImmersionStatus.COMPLETED)
    hired = bool(data.get("hired"))
    if hired and data.get("outcome") == AssessmentOutcome.NOT_HELD:
        raise DomainError("Une immersion qui n'a pas eu lieu ne peut pas déboucher sur une embauche.", field="hired")
    if hired and not data.get("contract_type"):
        raise DomainError("Indiquez le type de contrat de l'embauche.", field="contract_type")
    if hired and not data.get("contract_start"):
        raise DomainError("Indiquez la date de début du contrat.", field="contract_start")
    if hired and data["contract_start"] < immersion.starts_on:
        raise DomainError("Le contrat ne peut pas commencer avant l'immersion.", field="contract_start")
    hours = data.get("weekly_hours")
    if hours is not None and not Decimal(0) < Decimal(hours) <= Decimal(48):
        raise DomainError("La durée hebdomadaire du contrat va de 1 à 48 heures.", field="weekly_hours")
    assessment = ImmersionAssessment.objects.create(
        immersion=immersion,
        territory_id=immersion.territory_id,
        person=immersion.person,
        outcome=data["outcome"],
        hired=hired,
        contract_type=data.get("contract_type", "") if hired else "",
        contract_start=data.get("contract_start") if hired else None,
        weekly_hours=hours if hired else None,
        skills_observed=data.get("skills_observed", ""),
        person_agrees=bool(data.get("person_agrees")),
        person_comment=data.get("person_comment", ""),
        tutor_comment=data.get("tutor_comment", ""),
        recorded_by=by.membership,
    )
    immersion.ended_at = timezone.now()
    immersion.save()
    _audit(
        immersion,
        by=by,
        action="companies.immersion.assessed",
        what="Bilan de l'immersion",
        data={"outcome": assessment.outcome, "hired": hired, "contract_type": assessment.contract_type},
    )
    if hired:
        _audit(
            immersion,
            by=by,
            action="companies.hire.recorded",
            what="Embauche à l'issue d'une immersion",
            data={"contract_type": assessment.contract_type, "contract_start": str(assessment.contract_start)},
        )
    return assessment
