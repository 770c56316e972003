"""Every write on companies, shortage occupations and contact requests: atomic and audited.

Immersions are in `services_immersions.py`, trainings and events in `services_trainings.py`.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.people.perms import team_seat
from spie.people.services import record_file_write

from . import links, policies
from .enums import CONTACT_TRANSITIONS, ContactStatus, LinkPurpose, OpeningStatus
from .models import Company, CompanyContact, CompanyJob, CompanyOpening, ContactRequest, ShortageOccupation

COMPANY_FIELDS = [
    "siret",
    "name",
    "naf",
    "address",
    "postal_code",
    "commune",
    "size_band",
    "immersion_capacity",
    "availability",
    "availability_note",
    "monthly_contact_cap",
    "email",
    "phone",
    "website",
]


def send_soon(subject, template, context, recipients):
    """Send an e-mail once the transaction has committed (nothing is sent for a rolled-back write)."""
    recipients = [email for email in recipients if email]
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def territory_of(by):
    membership = getattr(by, "membership", None)
    if membership is not None:
        return membership.organisation.territory
    token = getattr(by, "api_token", None)
    return token.organisation.territory if token else None


# Companies ---------------------------------------------------------------------------------


@transaction.atomic
def save_company(*, data, by, company=None):
    """Create a company in the author's territory, or update one; the SIRET is unique there."""
    territory = company.territory if company else territory_of(by)
    if territory is None:
        raise DomainError("Seul un professionnel d'un territoire peut ajouter une entreprise.")
    siret = data.get("siret", company.siret if company else "")
    clash = Company.objects.filter(territory=territory, siret=siret)
    if company is not None:
        clash = clash.exclude(pk=company.pk)
    if clash.exists():
        raise DomainError("Une entreprise de ce territoire a déjà ce SIRET : ouvrez sa fiche.", field="siret")
    creating = company is None
    company = company or Company(territory=territory, created_by=getattr(by, "membership", None))
    changed = [name for name in COMPANY_FIELDS if name in data and (creating or getattr(company, name) != data[name])]
    for name in changed:
        setattr(company, name, data[name])
    if not creating and not changed:
        return company, []
    company.search_name = normalize_for_search(company.name)
    company.place_from_commune()
    company.save()
    company.sync_jobs()
    record_event(
        action="companies.company.created" if creating else "companies.company.updated",
        target=company,
        by=by,
        territory=territory,
        data={"fields": changed} if not creating else {"siret": company.siret},
    )
    return company, changed


@transaction.atomic
def set_company_active(*, company, active, by):
    if company.is_active == active:
        return company
    company.is_active = active
    company.save(update_fields=["is_active", "updated_at"])
    company.sync_jobs()
    record_event(
        action="companies.company.reactivated" if active else "companies.company.deactivated",
        target=company,
        by=by,
        territory=company.territory,
    )
    return company


@transaction.atomic
def add_company_contact(*, company, data, by):
    contact = CompanyContact(company=company, territory_id=company.territory_id, **data)
    if contact.is_main:
        company.contacts.filter(is_main=True).update(is_main=False)
    contact.save()
    record_event(
        action="companies.contact.added",
        target=contact,
        by=by,
        territory=company.territory,
        data={"company": str(company.public_id)},
    )
    return contact


@transaction.atomic
def remove_company_contact(*, contact, by):
    company = contact.company
    public_id = contact.public_id
    try:
        with transaction.atomic():
            contact.delete()
    except ProtectedError:
        raise DomainError(
            "Ce contact est tuteur·rice d'une immersion : il reste dans l'historique de l'entreprise."
        ) from None
    record_event(
        action="companies.contact.removed",
        target=company,
        by=by,
        territory=company.territory,
        data={"contact": str(public_id)},
    )


@transaction.atomic
def add_company_job(*, company, rome_job, hosts_immersion, hires, by):
    if not hosts_immersion and not hires:
        raise DomainError("Cochez au moins « accueille en immersion » ou « recrute ».", field="hosts_immersion")
    job, created = CompanyJob.objects.update_or_create(
        company=company,
        rome_job=rome_job,
        defaults={
            "territory_id": company.territory_id,
            "domain_id": rome_job.domain_id,
            "hosts_immersion": hosts_immersion,
            "hires": hires,
            "geo_lat": company.geo_lat,
            "geo_lon": company.geo_lon,
            "is_open": company.is_open,
        },
    )
    record_event(
        action="companies.job.added" if created else "companies.job.updated",
        target=company,
        by=by,
        territory=company.territory,
        data={"rome": rome_job.code, "immersion": hosts_immersion, "hires": hires},
    )
    return job


@transaction.atomic
def remove_company_job(*, job, by):
    company, code = job.company, job.rome_job.code
    job.delete()
    record_event(
        action="companies.job.removed", target=company, by=by, territory=company.territory, data={"rome": code}
    )


# Openings ----------------------------------------------------------------------------------


@transaction.atomic
def create_opening(*, company, data, by):
    if not company.is_active:
        raise DomainError("Cette entreprise n'est plus active : réactivez-la d'abord.")
    opening = CompanyOpening.objects.create(
        company=company, territory_id=company.territory_id, created_by=getattr(by, "membership", None), **data
    )
    record_event(
        action="companies.opening.created",
        target=opening,
        by=by,
        territory=company.territory,
        data={"company": str(company.public_id), "rome": opening.rome_job.code, "kind": opening.kind},
    )
    return opening


@transaction.atomic
def close_opening(*, opening, by):
    if opening.status == OpeningStatus.CLOSED:
        raise DomainError("Ce besoin est déjà clôturé.")
    opening.status = OpeningStatus.CLOSED
    opening.save(update_fields=["status", "updated_at"])
    record_event(action="companies.opening.closed", target=opening, by=by, territory=opening.company.territory)
    return opening


# Shortage occupations ----------------------------------------------------------------------


def _check_period(starts_on, ends_on):
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("La fin de la période doit suivre son début.", field="ends_on")


@transaction.atomic
def save_shortage(*, territory, data, by, shortage=None):
    """Add a métier en tension to the territory's list, or change one (ROME, period, tension, source)."""
    _check_period(data["starts_on"], data.get("ends_on"))
    if not 1 <= int(data["tension"]) <= 5:
        raise DomainError("Le niveau de tension va de 1 (faible) à 5 (très forte).", field="tension")
    creating = shortage is None
    shortage = shortage or ShortageOccupation(territory=territory, created_by=getattr(by, "membership", None))
    for name, value in data.items():
        setattr(shortage, name, value)
    try:
        with transaction.atomic():
            shortage.save()
    except IntegrityError:
        raise DomainError(
            "Ce métier figure déjà dans la liste pour une période commençant à cette date.", field="rome_job"
        ) from None
    record_event(
        action="companies.shortage.created" if creating else "companies.shortage.updated",
        target=shortage,
        by=by,
        territory=territory,
        data={"rome": shortage.rome_job.code, "tension": shortage.tension},
    )
    return shortage


@transaction.atomic
def delete_shortage(*, shortage, by):
    code, territory = shortage.rome_job.code, shortage.territory
    record_event(action="companies.shortage.deleted", target=shortage, by=by, territory=territory, data={"rome": code})
    shortage.delete()


# Contact requests --------------------------------------------------------------------------


def month_start(day):
    """Midnight of the first day of `day`'s month, in the current (territory) time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, 1))


def requests_this_month(company, now=None):
    now = now or timezone.now()
    return ContactRequest.objects.filter(company=company, sent_at__gte=month_start(timezone.localdate(now))).count()


def _contact_transition(request, status):
    if status not in CONTACT_TRANSITIONS[request.status]:
        raise DomainError(f"Cette demande est déjà « {request.get_status_display().lower()} ».")
    request.status = status


@transaction.atomic
def send_contact_request(*, company, contact, purpose, message, by, rome_job=None, person=None):
    """Ask the company (through one of its contacts) to host an immersion or meet a candidate.
    The company answers through a secure link; its monthly cap of requests is respected."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if not company.is_active:
        raise DomainError("Cette entreprise n'est plus active.")
    if contact is None or contact.company_id != company.pk:
        raise DomainError("Choisissez un contact de l'entreprise.", field="contact")
    cap = policies.contact_cap(company)
    if requests_this_month(company) >= cap:
        raise DomainError(
            f"Cette entreprise a déjà reçu {cap} demande(s) ce mois-ci, son plafond mensuel : "
            "attendez le mois prochain ou coordonnez-vous avec les autres structures.",
        )
    if person is not None:
        if team_seat(by.membership, person) is None:
            raise DomainError("Vous ne suivez pas cette personne.", field="person")
        if not person.consent_given:
            raise DomainError(
                "La personne n'a pas consenti au partage de ses informations : recueillez son consentement.",
                field="person",
            )
    request = ContactRequest.objects.create(
        territory_id=company.territory_id,
        company=company,
        contact=contact,
        purpose=purpose,
        rome_job=rome_job,
        person=person,
        message=message,
        sender=by.membership,
    )
    link, raw = links.issue_link(
        purpose=LinkPurpose.CONTACT_ANSWER,
        email=contact.email,
        territory_id=company.territory_id,
        validity_days=policies.CONTACT_LINK_VALIDITY_DAYS,
        contact_request=request,
    )
    data = {"company": str(company.public_id), "purpose": purpose}
    if person is not None:
        record_file_write(
            person,
            by=by,
            action="companies.contact_request.sent",
            what="Demande de contact à une entreprise",
            target=request,
            data=data,
        )
    else:
        record_event(
            action="companies.contact_request.sent", target=request, by=by, territory=company.territory, data=data
        )
    send_soon(
        f"{by.membership.organisation.name} vous sollicite via la plateforme SPIE",
        "emails/companies_contact_request.txt",
        {"request": request, "link": links.url_for(raw), "expires_at": link.expires_at},
        [contact.email],
    )
    return request, raw


def _answer(link, status, *, responder_name, answer):
    link = links.consume(link, purpose=LinkPurpose.CONTACT_ANSWER)
    request = (
        ContactRequest.objects.select_for_update()
        .select_related("company", "sender__user")
        .get(pk=link.contact_request_id)
    )
    _contact_transition(request, status)
    now = timezone.now()
    request.responded_at = now
    request.answered_in_window = now - request.sent_at <= datetime.timedelta(days=policies.CONTACT_RESPONSE_WINDOW_DAYS)
    request.responder_name = responder_name.strip()[:150]
    request.answer = answer.strip()
    request.save()
    action = (
        "companies.contact_request.accepted"
        if status == ContactStatus.ACCEPTED
        else "companies.contact_request.refused"
    )
    record_event(
        action=action,
        target=request,
        territory=request.company.territory,
        data={"in_window": request.answered_in_window},
    )
    send_soon(
        f"Plateforme SPIE : réponse de {request.company.name}",
        "emails/companies_contact_answered.txt",
        {"request": request, "link": reverse("companies:contact_requests")},
        [request.sender.user.email],
    )
    return request


@transaction.atomic
def accept_contact_request(*, link, responder_name, answer=""):
    return _answer(link, ContactStatus.ACCEPTED, responder_name=responder_name, answer=answer)


@transaction.atomic
def refuse_contact_request(*, link, responder_name, answer=""):
    return _answer(link, ContactStatus.REFUSED, responder_name=responder_name, answer=answer)


@transaction.atomic
def expire_contact_requests(*, now=None):
    """Pending requests whose answer link has expired are recorded as unanswered."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=policies.CONTACT_LINK_VALIDITY_DAYS)
    expired = list(ContactRequest.objects.select_for_update().filter(status=ContactStatus.PENDING, sent_at__lte=limit))
    for request in expired:
        request.status = ContactStatus.EXPIRED
        request.answered_in_window = False
        request.updated_at = now
    ContactRequest.objects.bulk_update(expired, ["status", "answered_in_window", "updated_at"])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            territory_id=request.territory_id,
            action="companies.contact_request.expired",
            target_type="companies.contactrequest",
            target_id=request.public_id,
        )
        for request in expired
    )
    return len(expired)
