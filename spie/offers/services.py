"""Every write of the offers app: services of the directory, referrals, proposals, duplicates."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.accounts.models import Membership, hash_secret
from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.people.perms import team_seat
from spie.people.services import add_team_member, record_file_write
from spie.territories.policies import policy_for

from .enums import (
    PROPOSAL_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    DuplicateStatus,
    ProposalStatus,
    ReferralStatus,
)
from .geo import GeoIndex
from .indexing import derive, reindex
from .models import (
    PLATFORM_SOURCE,
    Offer,
    OfferLocation,
    OfferProposal,
    OfferStructure,
    ProposalComment,
    Referral,
)
from .schema import content_hash

# Offer fields a structure manager edits in the form (data·inclusion values).
OFFER_FORM_FIELDS = [
    "name",
    "description",
    "kind",
    "thematiques",
    "publics",
    "publics_details",
    "fees",
    "fees_details",
    "access_conditions",
    "reception_modes",
    "mobilisation_modes",
    "mobilisable_by",
    "mobilisation_details",
    "mobilisation_link",
    "phone",
    "email",
    "contact_name",
    "address",
    "postal_code",
    "code_insee",
    "commune_name",
    "opening_hours",
    "eligibility_zone",
    "weekly_hours",
    "weeks",
]


def _send(subject, template, context, recipients):
    recipients = sorted({email for email in recipients if email})
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


# Services of the directory ------------------------------------------------------------------


def platform_structure_for(organisation):
    """The directory structure of a platform structure (created from it on first use)."""
    structure = OfferStructure.objects.filter(organisation=organisation).order_by("pk").first()
    if structure is not None:
        return structure
    commune = organisation.commune
    structure = OfferStructure(
        source=PLATFORM_SOURCE,
        source_id=f"{PLATFORM_SOURCE}--{organisation.public_id}",
        name=organisation.name[:150],
        siret=organisation.siret,
        address=organisation.address,
        postal_code=organisation.postal_code,
        code_insee=commune.insee_code if commune else "",
        commune_name=commune.name if commune else "",
        phone=organisation.phone,
        email=organisation.email,
        updated_on=timezone.localdate(),
        organisation=organisation,
        territory_id=organisation.territory_id,
    )
    structure.search_name = structure.name.lower()
    structure.content_hash = ""
    structure.save()
    return structure


def _fingerprint(offer):
    values = {name: getattr(offer, name) for name in OFFER_FORM_FIELDS}
    return content_hash({**values, "updated_on": offer.updated_on, "structure": offer.structure.source_id})


@transaction.atomic
def save_offer(*, data, by, offer=None):
    """Create (offer=None) or update a service of the author's structure; it is « mis à jour » today."""
    organisation = by.organisation
    if offer is None:
        structure = platform_structure_for(organisation)
        offer = Offer(
            source=PLATFORM_SOURCE,
            source_id=f"{PLATFORM_SOURCE}--{uuid.uuid4()}",
            structure=structure,
        )
        action = "offers.offer.created"
    else:
        if offer.structure.organisation_id != organisation.pk:
            raise DomainError("Seule la structure qui porte ce service peut le modifier.")
        action = "offers.offer.updated"
    changed = [name for name in OFFER_FORM_FIELDS if getattr(offer, name, None) != data.get(name)]
    for name in OFFER_FORM_FIELDS:
        setattr(offer, name, data.get(name))
    offer.updated_on = timezone.localdate()
    derive(offer, structure=offer.structure, geo=GeoIndex())
    offer.content_hash = _fingerprint(offer)
    offer.save()
    reindex([offer])
    record_event(action=action, target=offer, by=by, territory=offer.territory, data={"fields": changed})
    return offer


@transaction.atomic
def confirm_offer_up_to_date(*, offer, by):
    """The structure confirms that the service is still accurate: its date of update is today."""
    if offer.structure.organisation_id != by.organisation.pk:
        raise DomainError("Seule la structure qui porte ce service peut le confirmer.")
    offer.updated_on = timezone.localdate()
    offer.save(update_fields=["updated_on", "updated_at"])
    record_event(action="offers.offer.confirmed", target=offer, by=by, territory=offer.territory)
    return offer


@transaction.atomic
def decide_duplicate(*, candidate, confirmed, by):
    """Confirm (the second service is then hidden behind the first) or dismiss a likely duplicate."""
    if candidate.status != DuplicateStatus.OPEN:
        raise DomainError("Ce doublon probable a déjà été examiné.")
    candidate.status = DuplicateStatus.CONFIRMED if confirmed else DuplicateStatus.DISMISSED
    candidate.decided_by, candidate.decided_at = by.membership, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if confirmed and candidate.offer_b_id:
        Offer.objects.filter(pk=candidate.offer_b_id).update(duplicate_of=candidate.offer_a_id)
        OfferLocation.objects.filter(offer_id=candidate.offer_b_id).update(listed=False)
    record_event(
        action="offers.duplicate.confirmed" if confirmed else "offers.duplicate.dismissed",
        target=candidate,
        by=by,
        territory=candidate.territory,
    )
    return candidate


# Referrals ----------------------------------------------------------------------------------


def _transition(referral, status):
    if status not in REFERRAL_TRANSITIONS[referral.status]:
        raise DomainError(
            f"Cette orientation est « {referral.get_status_display().lower()} » : "
            f"elle ne peut pas passer à « {ReferralStatus(status).label.lower()} »."
        )
    referral.status = status


def _receiving_members(organisation):
    return list(Membership.objects.active().filter(organisation=organisation).values_list("user__email", flat=True))


def _new_token(referral, policy):
    raw = secrets.token_urlsafe(32)
    referral.token_hash = hash_secret(raw)
    referral.token_expires_at = referral.sent_at + datetime.timedelta(days=policy.referral_expiry_days)
    return raw


def _answer_link(raw_token):
    return settings.SITE_URL + reverse("offers:referral_answer", args=[raw_token])


def _notify_receiver(referral, raw_token, *, reminder=False):
    context = {
        "referral": referral,
        "reminder": reminder,
        "link": _answer_link(raw_token) if raw_token else settings.SITE_URL + reverse("offers:inbox"),
        "expires_at": referral.token_expires_at
        or referral.sent_at + datetime.timedelta(days=policy_for(referral.territory).referral_expiry_days),
    }
    subject = "Plateforme SPIE : " + ("relance — " if reminder else "") + "nouvelle orientation vers votre service"
    template = "emails/offers_referral_reminder.txt" if reminder else "emails/offers_referral_received.txt"
    if referral.receiving_organisation_id:
        _send(subject, template, context, _receiving_members(referral.receiving_organisation))
    else:
        _send(subject, template, context, [referral.contact_email])


def _notify_sender(referral):
    _send(
        f"Plateforme SPIE : orientation {referral.get_status_display().lower()}",
        "emails/offers_referral_answered.txt",
        {"referral": referral, "link": reverse("offers:person_referrals", args=[referral.person.public_id])},
        [referral.sender.user.email],
    )


def _receiving_side(offer, person):
    """The platform structure that answers, when it is in the person's territory; else None."""
    organisation = offer.structure.organisation
    if (
        organisation is not None
        and organisation.is_active
        and organisation.territory_id == person.territory_id
        and Membership.objects.active().filter(organisation=organisation).exists()
    ):
        return organisation
    return None


@transaction.atomic
def refer_person(*, person, offer, message, needs=(), by):
    """Send the person to a service. The receiving structure gets it in its inbox when it is on the
    platform; otherwise the service's contact gets an e-mail with a single-use, expiring link."""
    if team_seat(by.membership, person) is None:
        raise DomainError("Seuls les membres de l'équipe de suivi peuvent orienter cette personne.")
    if not person.consent_given:
        raise DomainError(
            "La personne n'a pas consenti au partage de ses informations : recueillez son consentement "
            "avant de l'orienter vers un service."
        )
    if offer.duplicate_of_id:
        raise DomainError("Ce service est un doublon : orientez vers le service d'origine.")
    if Referral.objects.open().filter(person=person, offer=offer).exists():
        raise DomainError("Une orientation vers ce service est déjà en cours pour cette personne.", field="offer")
    receiving = _receiving_side(offer, person)
    contact = "" if receiving else (offer.email or offer.structure.email)
    if receiving is None and not contact:
        raise DomainError(
            "Ce service n'est pas sur la plateforme et n'a pas d'adresse e-mail : contactez-le directement."
        )
    policy = policy_for(person.territory)
    referral = Referral(
        territory_id=person.territory_id,
        person=person,
        offer=offer,
        sender=by.membership,
        message=message,
        needs=list(needs),
        receiving_organisation=receiving,
        contact_email=contact,
    )
    raw_token = None if receiving else _new_token(referral, policy)
    referral.save()
    record_file_write(
        person,
        by=by,
        action="offers.referral.sent",
        what="Orientation vers un service",
        target=referral,
        data={"offer": str(offer.public_id), "on_platform": receiving is not None},
    )
    _notify_receiver(referral, raw_token)
    return referral, raw_token


def find_referral_by_token(raw_token):
    """The referral a link answers, if the link is still usable (not expired, not used)."""
    referral = (
        Referral.objects.select_related("person", "offer__structure", "sender__user", "sender__organisation")
        .filter(token_hash=hash_secret(raw_token or ""))
        .first()
    )
    if referral is None or referral.token_used_at is not None or referral.status != ReferralStatus.SENT:
        return None
    if referral.token_expires_at is None or referral.token_expires_at <= timezone.now():
        return None
    return referral


def _record_answer(referral, by, responder_name):
    now = timezone.now()
    referral.responded_at = now
    referral.response_delay_hours = int((now - referral.sent_at).total_seconds() // 3600)
    referral.responder = getattr(by, "membership", None)
    referral.responder_name = responder_name or (by.user.get_full_name() if getattr(by, "user", None) else "")
    if referral.token_hash:
        referral.token_used_at = now


@transaction.atomic
def accept_referral(*, referral, by=None, responder_name=""):
    """The service accepts: the answering professional joins the person's team (not as referent)."""
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    _transition(referral, ReferralStatus.ACCEPTED)
    _record_answer(referral, by, responder_name)
    referral.save()
    person = referral.person
    record_file_write(
        person,
        by=by,
        action="offers.referral.accepted",
        what="Orientation acceptée par le service",
        target=referral,
        data={"delay_hours": referral.response_delay_hours},
    )
    membership = getattr(by, "membership", None)
    if membership is not None and membership.organisation_id == referral.receiving_organisation_id:
        add_team_member(person=person, membership=membership, by=by, what="Entrée dans l'équipe (orientation)")
    _notify_sender(referral)
    return referral


@transaction.atomic
def refuse_referral(*, referral, reason, by=None, responder_name=""):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Indiquez le motif du refus.", field="reason")
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    _transition(referral, ReferralStatus.REFUSED)
    _record_answer(referral, by, responder_name)
    referral.refusal_reason = reason
    referral.save()
    record_file_write(
        referral.person,
        by=by,
        action="offers.referral.refused",
        what="Orientation refusée par le service",
        target=referral,
        data={"delay_hours": referral.response_delay_hours},
    )
    _notify_sender(referral)
    return referral


@transaction.atomic
def expire_referral(*, referral):
    """No answer within the territory's delay: the referral expires (the platform acts)."""
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    _transition(referral, ReferralStatus.EXPIRED)
    referral.closed_at = timezone.now()
    referral.save()
    record_file_write(
        referral.person, by=None, action="offers.referral.expired", what="Orientation expirée", target=referral
    )
    _notify_sender(referral)
    return referral


@transaction.atomic
def remind_referral(*, referral):
    """Remind the service; an e-mailed link is replaced by a fresh one (the old one stops working)."""
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    if referral.status != ReferralStatus.SENT:
        raise DomainError("Seule une orientation en attente de réponse peut être relancée.")
    raw_token = None
    if not referral.receiving_organisation_id:
        raw_token = secrets.token_urlsafe(32)
        referral.token_hash = hash_secret(raw_token)
    referral.last_reminder_at = timezone.now()
    referral.reminder_count += 1
    referral.save()
    record_event(
        action="offers.referral.reminded",
        target=referral,
        territory=referral.territory,
        subject=referral.person,
        data={"count": referral.reminder_count},
    )
    _notify_receiver(referral, raw_token, reminder=True)
    return referral


def _follow(referral, status, *, by, action, what, note=""):
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    _transition(referral, status)
    now = timezone.now()
    if status == ReferralStatus.STARTED:
        referral.started_at = now
    else:
        referral.closed_at, referral.closing_note = now, note
    referral.save()
    record_file_write(referral.person, by=by, action=action, what=what, target=referral)
    return referral


@transaction.atomic
def start_referral(*, referral, by):
    return _follow(
        referral, ReferralStatus.STARTED, by=by, action="offers.referral.started", what="Démarrage dans le service"
    )


@transaction.atomic
def end_referral(*, referral, note="", by):
    return _follow(
        referral,
        ReferralStatus.ENDED,
        by=by,
        action="offers.referral.ended",
        what="Fin de l'accompagnement par le service",
        note=note,
    )


@transaction.atomic
def abandon_referral(*, referral, note="", by):
    return _follow(
        referral,
        ReferralStatus.ABANDONED,
        by=by,
        action="offers.referral.abandoned",
        what="Abandon de l'orientation",
        note=note,
    )


@transaction.atomic
def link_referral_action(*, referral, action_id, by):
    """Hook for the engagement contract: a started referral carries out one action of the plan."""
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    if referral.status not in (ReferralStatus.STARTED, ReferralStatus.ENDED):
        raise DomainError("Seule une orientation démarrée peut être rattachée à une action du contrat.")
    referral.contract_action_id = action_id
    referral.save(update_fields=["contract_action_id", "updated_at"])
    record_file_write(
        referral.person,
        by=by,
        action="offers.referral.linked",
        what="Orientation rattachée au contrat d'engagement",
        target=referral,
        data={"action": str(action_id) if action_id else None},
    )
    return referral


def due_reminders(now=None):
    """(to expire, to remind) among the referrals waiting for an answer, with each territory's delays."""
    now = now or timezone.now()
    to_expire, to_remind = [], []
    policies = {}
    waiting = Referral.objects.filter(status=ReferralStatus.SENT).select_related("territory").order_by("sent_at")
    for referral in waiting.iterator(chunk_size=2000):
        if referral.territory_id not in policies:
            policies[referral.territory_id] = policy_for(referral.territory)
        policy = policies[referral.territory_id]
        if now - referral.sent_at >= datetime.timedelta(days=policy.referral_expiry_days):
            to_expire.append(referral)
        elif now - (referral.last_reminder_at or referral.sent_at) >= datetime.timedelta(
            days=policy.referral_reminder_days
        ):
            to_remind.append(referral)
    return to_expire, to_remind


# Co-designed offers -------------------------------------------------------------------------


@transaction.atomic
def propose_offer(*, data, partners=(), by):
    membership = by.membership
    if membership is None or membership.organisation.territory_id is None:
        raise DomainError("Seul un professionnel d'un territoire peut proposer une offre.")
    proposal = OfferProposal.objects.create(
        territory_id=membership.organisation.territory_id, proposer=membership, **data
    )
    proposal.partners.set(partners)
    record_event(action="offers.proposal.created", target=proposal, by=by, territory=proposal.territory)
    return proposal


@transaction.atomic
def comment_proposal(*, proposal, text, by):
    if proposal.status in (ProposalStatus.PUBLISHED, ProposalStatus.REJECTED):
        raise DomainError("Cette proposition est close : elle ne reçoit plus de commentaires.")
    comment = ProposalComment.objects.create(proposal=proposal, author=by.membership, text=text)
    record_event(action="offers.proposal.commented", target=proposal, by=by, territory=proposal.territory)
    return comment


def _publish(proposal, by):
    organisation = proposal.proposer.organisation
    structure = platform_structure_for(organisation)
    commune = proposal.commune
    offer = Offer(
        source=PLATFORM_SOURCE,
        source_id=f"{PLATFORM_SOURCE}--proposition-{proposal.public_id}",
        structure=structure,
        name=proposal.title,
        description=proposal.description or proposal.need,
        thematiques=list(proposal.thematiques),
        publics_details=proposal.public,
        code_insee=commune.insee_code if commune else "",
        commune_name=commune.name if commune else "",
        postal_code=(commune.postal_code_list or [""])[0] if commune else "",
        mobilisable_by=["professionnels"],
        mobilisation_modes=["envoyer-un-courriel"],
        email=organisation.email,
        updated_on=timezone.localdate(),
    )
    derive(offer, structure=structure, geo=GeoIndex())
    offer.content_hash = _fingerprint(offer)
    offer.save()
    reindex([offer])
    record_event(action="offers.offer.created", target=offer, by=by, territory=offer.territory)
    return offer


@transaction.atomic
def move_proposal(*, proposal, status, note="", by):
    """The coordinator moves a proposal on; publishing makes it a service of the directory."""
    proposal = OfferProposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise DomainError(
            f"Une proposition « {proposal.get_status_display().lower()} » ne peut pas passer à "
            f"« {ProposalStatus(status).label.lower()} ».",
            field="status",
        )
    if status == ProposalStatus.REJECTED and not note.strip():
        raise DomainError("Expliquez pourquoi la proposition n'est pas retenue.", field="note")
    proposal.status = status
    if note:
        proposal.decision_note = note
    if status == ProposalStatus.PUBLISHED:
        proposal.offer = _publish(proposal, by)
    proposal.save()
    record_event(
        action=f"offers.proposal.{status}",
        target=proposal,
        by=by,
        territory=proposal.territory,
        data={"status": status},
    )
    return proposal
