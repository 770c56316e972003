"""What the person does in their space, and the invitation a professional sends them. Each write is
atomic and audited in the person's file; the professional concerned is told by e-mail once the
transaction has committed."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.pathways.enums import AppointmentStatus, ContractStatus
from spie.pathways.models import Appointment, EngagementContract
from spie.people import services as people_services
from spie.people.rgpd import person_export

from . import contacts, login, policies
from .enums import ANSWER_TRANSITIONS, AnswerKind, Channel, SecretKind
from .models import AppointmentAnswer, ContractApproval


@dataclass(frozen=True)
class PersonActor:
    """The person acting in their own space: no professional account, no structure. The audit
    events of the space (`personspace.*`) say that the person did it."""

    person: object
    user: None = None
    membership: None = None
    api_token: None = None
    acts_as_person: bool = True

    @property
    def organisation(self):
        return None


def _file_write(person, *, action, what, target=None, data=None):
    people_services.record_file_write(
        person, by=PersonActor(person), action=action, what=what, target=target, data=data
    )


def last_answers(appointments):
    """The current answer of each appointment, as {appointment pk: answer} (one query)."""
    answers = {}
    for answer in AppointmentAnswer.objects.filter(appointment__in=[a.pk for a in appointments]).order_by(
        "created_at", "id"
    ):
        answers[answer.appointment_id] = answer
    return answers


def _answerable(appointment, person, kind):
    if appointment.person_id != person.pk:
        raise DomainError("Ce rendez-vous n'est pas le vôtre.")
    if appointment.status != AppointmentStatus.PLANNED or appointment.starts_at <= timezone.now():
        raise DomainError("Ce rendez-vous est passé ou n'est plus prévu : il ne peut plus être confirmé ni reporté.")
    current = last_answers([appointment]).get(appointment.pk)
    if kind not in ANSWER_TRANSITIONS[current.kind if current else None]:
        if kind == AnswerKind.CONFIRMED:
            raise DomainError("Vous avez déjà confirmé ce rendez-vous.")
        raise DomainError("Votre demande de report a déjà été envoyée.")


def _professionals_to_tell(appointment):
    """The professional of the appointment, and the referent when it is someone else."""
    recipients = [appointment.professional.user.email]
    referent = appointment.person.referent
    if referent is not None and referent.membership.user.email not in recipients:
        recipients.append(referent.membership.user.email)
    return recipients


def _tell(subject, template, context, recipients):
    for email in filter(None, recipients):
        login.send_email_soon(subject, template, context, email)


def _when(appointment):
    """« lundi 30 novembre 2026 à 9 h 30 », in the territory's time zone."""
    local = timezone.localtime(appointment.starts_at, ZoneInfo(appointment.person.territory.time_zone))
    return date_format(local, "l j F Y à G \\h i")


def _locked_appointment(appointment):
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("professional__user", "person__territory")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def confirm_appointment(*, appointment, person):
    appointment = _locked_appointment(appointment)
    _answerable(appointment, person, AnswerKind.CONFIRMED)
    answer = AppointmentAnswer.objects.create(
        appointment=appointment, person=person, territory_id=person.territory_id, kind=AnswerKind.CONFIRMED
    )
    _file_write(
        person,
        action="personspace.appointment.confirmed",
        what="Rendez-vous confirmé par la personne",
        target=answer,
        data={"appointment": str(appointment.public_id)},
    )
    _tell(
        "Plateforme SPIE : rendez-vous confirmé par la personne",
        "emails/personspace_appointment_answered.txt",
        {"appointment": appointment, "answer": answer, "when": _when(appointment), "link": _appointments_link(person)},
        _professionals_to_tell(appointment),
    )
    return answer


@transaction.atomic
def request_move(*, appointment, person, message, preferred_slots=""):
    appointment = _locked_appointment(appointment)
    _answerable(appointment, person, AnswerKind.MOVE_REQUESTED)
    if not message.strip():
        raise DomainError("Dites en quelques mots pourquoi vous souhaitez déplacer ce rendez-vous.", field="message")
    answer = AppointmentAnswer.objects.create(
        appointment=appointment,
        person=person,
        territory_id=person.territory_id,
        kind=AnswerKind.MOVE_REQUESTED,
        message=message.strip(),
        preferred_slots=preferred_slots.strip(),
    )
    _file_write(
        person,
        action="personspace.appointment.move_requested",
        what="Report d'un rendez-vous demandé par la personne",
        target=answer,
        data={"appointment": str(appointment.public_id)},
    )
    _tell(
        "Plateforme SPIE : la personne demande à déplacer un rendez-vous",
        "emails/personspace_appointment_answered.txt",
        {"appointment": appointment, "answer": answer, "when": _when(appointment), "link": _appointments_link(person)},
        _professionals_to_tell(appointment),
    )
    return answer


def _appointments_link(person):
    return reverse("pathways:appointments", args=[person.public_id])


@transaction.atomic
def approve_contract(*, contract, person):
    """The person approves the contract shown in their space (in preparation or signed)."""
    if contract.person_id != person.pk:
        raise DomainError("Ce contrat n'est pas le vôtre.")
    contract = EngagementContract.objects.select_for_update().get(pk=contract.pk)
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.SIGNED):
        raise DomainError("Cette version du contrat a été remplacée : lisez la version en cours.")
    if ContractApproval.objects.filter(contract=contract).exists():
        raise DomainError("Vous avez déjà approuvé cette version du contrat.")
    approval = ContractApproval.objects.create(contract=contract, person=person, territory_id=person.territory_id)
    _file_write(
        person,
        action="personspace.contract.approved",
        what="Contrat d'engagement approuvé par la personne",
        target=approval,
        data={"contract": str(contract.public_id), "version": contract.version},
    )
    referent = person.referent
    if referent is not None:
        _tell(
            "Plateforme SPIE : contrat d'engagement approuvé par la personne",
            "emails/personspace_contract_approved.txt",
            {
                "person": person,
                "contract": contract,
                "approval": approval,
                "link": reverse("pathways:contract", args=[person.public_id]),
            },
            [referent.membership.user.email],
        )
    return approval


@transaction.atomic
def change_consent(*, person, given):
    """The person gives or withdraws their consent to sharing, themselves."""
    if person.consent_given == given:
        return person
    people_services.set_consent(person=person, given=given, by=PersonActor(person))
    action = "personspace.consent.given" if given else "personspace.consent.withdrawn"
    record_event(action=action, target=person, territory=person.territory, subject=person, data={"by": "person"})
    return person


def download_data(person):
    """The person's own data (RGPD export of the file, every app's sections); logged."""
    data = person_export(person, by=PersonActor(person))
    record_event(action="personspace.data.downloaded", target=person, territory=person.territory, subject=person)
    return data


@transaction.atomic
def invite_person(*, person, channel, by):
    """A professional of the team invites the person to their space: a link by e-mail (valid a few
    days), or by SMS the address of the login page (a code is asked there)."""
    if channel in (Channel.EMAIL, Channel.SMS) and contacts.has_pending_change(person, channel):
        raise DomainError(
            "Ce contact vient d'être changé et n'est pas encore confirmé : la personne le confirme en se "
            "connectant, ou le ou la référent·e le confirme depuis cet onglet.",
            field="channel",
        )
    if channel == Channel.EMAIL:
        if not person.email:
            raise DomainError("Le dossier n'a pas d'adresse e-mail : ajoutez-la, ou invitez par SMS.", field="channel")
        secret, raw = login.issue_secret(
            person=person, kind=SecretKind.INVITATION, channel=Channel.EMAIL, sent_by=by.membership
        )
        login.send_email_soon(
            "Votre espace personnel sur la plateforme SPIE",
            "emails/personspace_invitation.txt",
            {
                "person": person,
                "link": login.link_url(raw),
                "hours": policies.INVITATION_VALIDITY_HOURS,
                "sender": by.membership,
            },
            person.email,
        )
    elif channel == Channel.SMS:
        if not person.phone:
            raise DomainError(
                "Le dossier n'a pas de numéro de mobile : ajoutez-le, ou invitez par e-mail.", field="channel"
            )
        login.send_sms_soon(
            person.phone,
            "Plateforme SPIE : votre espace personnel vous attend. Connectez-vous avec ce numéro sur "
            f"{settings.SITE_URL}{reverse('personspace:login')} (un code vous sera envoyé par SMS).",
        )
    else:
        raise DomainError("Choisissez l'envoi par e-mail ou par SMS.", field="channel")
    people_services.record_file_write(
        person,
        by=by,
        action="personspace.invitation.sent",
        what="Invitation à l'espace personnel",
        data={"channel": channel},
    )
