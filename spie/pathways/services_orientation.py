"""Orientation decisions and reorientation requests: one service per transition, audited in the
person's timeline, e-mails sent once the transaction commits."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.diagnostics.selectors import latest_validated_diagnostic
from spie.people.services import assign_referent, record_file_write

from .enums import DECISION_TRANSITIONS, REORIENTATION_TRANSITIONS, DecisionStatus, PathwayType, ReorientationStatus
from .models import OrientationDecision, ReorientationRequest
from .services import orient_pathway

REFERENT_ROLES = (Role.CONSEILLER, Role.GESTIONNAIRE)


def _notify(subject, template, context, recipients):
    recipients = sorted({email for email in recipients if email})
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def _officer_emails(territory_id):
    return list(
        Membership.objects.active()
        .filter(role=Role.CHARGE_ORIENTATION, organisation__territory_id=territory_id)
        .values_list("user__email", flat=True)
    )


def eligible_referents(territory_id):
    """Active professionals of the territory who may be named referent."""
    return Membership.objects.active().filter(organisation__territory_id=territory_id, role__in=REFERENT_ROLES)


def _oriented_at(notified_on):
    return timezone.make_aware(datetime.datetime.combine(notified_on, datetime.time(12)))


def _check_decision(person, pathway_type, referent, notified_on):
    if pathway_type not in PathwayType.values:
        raise DomainError(
            "Type de parcours : choisissez professionnel, socio-professionnel ou social.", field="pathway_type"
        )
    if not eligible_referents(person.territory_id).filter(pk=referent.pk).exists():
        raise DomainError(
            "Référent·e : choisissez un·e conseiller·ère ou gestionnaire actif·ve d'une structure du territoire.",
            field="referent",
        )
    if notified_on > timezone.localdate():
        raise DomainError("Date de notification : elle ne peut pas être dans le futur.", field="notified_on")
    if notified_on < person.entry_date:
        raise DomainError(
            f"Date de notification : elle ne peut pas précéder la date d'entrée ({person.entry_date:%d/%m/%Y}).",
            field="notified_on",
        )


@transaction.atomic
def decide_orientation(*, person, pathway_type, referent, notified_on, by, comment="", reorientation_request=None):
    """Record the decision, make `referent` the person's referent and tell them. A decision
    already in force is replaced only through an accepted reorientation request."""
    _check_decision(person, pathway_type, referent, notified_on)
    in_force = OrientationDecision.objects.select_for_update().filter(person=person, status=DecisionStatus.IN_FORCE)
    previous = in_force.first()
    if previous is not None and reorientation_request is None:
        raise DomainError(
            "Une décision d'orientation est déjà en vigueur : une nouvelle décision passe par une demande de "
            "réorientation."
        )
    if previous is not None:
        if DecisionStatus.REPLACED not in DECISION_TRANSITIONS[previous.status]:
            raise DomainError("Cette décision ne peut plus être remplacée.")
        previous.status, previous.replaced_at = DecisionStatus.REPLACED, timezone.now()
        previous.save(update_fields=["status", "replaced_at", "updated_at"])
    diagnostic = latest_validated_diagnostic(person)
    decision = OrientationDecision.objects.create(
        person=person,
        territory_id=person.territory_id,
        pathway_type=pathway_type,
        referent_organisation=referent.organisation,
        referent=referent,
        notified_on=notified_on,
        comment=comment,
        diagnostic=diagnostic,
        proposed_pathway=diagnostic.proposed_pathway if diagnostic else "",
        decided_by=by.membership,
    )
    assign_referent(person=person, membership=referent, by=by, oriented_at=_oriented_at(notified_on))
    # The pathway opens (if needed) and moves to « orienté »; a reorientation restarts the contract's month.
    orient_pathway(decision=decision, by=by)
    record_file_write(
        person,
        by=by,
        action="pathways.orientation.decided",
        what="Décision d'orientation",
        target=decision,
        data={
            "pathway_type": pathway_type,
            "referent": str(referent.public_id),
            "organisation": str(referent.organisation.public_id),
            "notified_on": notified_on.isoformat(),
            "follows_proposal": decision.follows_proposal,
            "replaces": str(previous.public_id) if previous else None,
        },
    )
    _notify(
        "Plateforme SPIE : vous êtes désigné·e référent·e d'une personne",
        "pathways/emails/orientation_decided.txt",
        {"decision": decision, "link": reverse("pathways:orientation", args=[person.public_id])},
        [referent.user.email],
    )
    return decision


def _transition(request, status):
    if status not in REORIENTATION_TRANSITIONS[request.status]:
        raise DomainError("Cette demande de réorientation a déjà été traitée.")
    request.status = status


@transaction.atomic
def request_reorientation(*, person, reason, by, wished_pathway_type=""):
    """The referent asks for another orientation, with a reason; the orientation officers are told."""
    decision = OrientationDecision.objects.filter(person=person, status=DecisionStatus.IN_FORCE).first()
    if decision is None:
        raise DomainError("Aucune décision d'orientation en vigueur : il n'y a rien à réorienter.")
    if not (reason or "").strip():
        raise DomainError("Motif de la demande : expliquez pourquoi une réorientation est nécessaire.", field="reason")
    if wished_pathway_type and wished_pathway_type not in PathwayType.values:
        raise DomainError("Parcours souhaité : valeur inconnue.", field="wished_pathway_type")
    if ReorientationRequest.objects.filter(person=person, status=ReorientationStatus.PENDING).exists():
        raise DomainError("Une demande de réorientation est déjà en attente pour cette personne.")
    request = ReorientationRequest.objects.create(
        person=person,
        territory_id=person.territory_id,
        decision=decision,
        requested_by=by.membership,
        reason=reason.strip(),
        wished_pathway_type=wished_pathway_type,
    )
    record_file_write(
        person,
        by=by,
        action="pathways.reorientation.requested",
        what="Demande de réorientation",
        target=request,
        data={"wished_pathway_type": wished_pathway_type},
    )
    _notify(
        "Plateforme SPIE : demande de réorientation",
        "pathways/emails/reorientation_requested.txt",
        {"request": request, "link": reverse("pathways:orientation", args=[person.public_id])},
        _officer_emails(person.territory_id),
    )
    return request


def _locked(request):
    return (
        ReorientationRequest.objects.select_for_update()
        .select_related("person", "requested_by__user")
        .get(pk=request.pk)
    )


@transaction.atomic
def accept_reorientation(*, request, pathway_type, referent, notified_on, by, comment=""):
    """Accept: a new decision replaces the one in force."""
    locked = _locked(request)
    _transition(locked, ReorientationStatus.ACCEPTED)
    person = locked.person
    decision = decide_orientation(
        person=person,
        pathway_type=pathway_type,
        referent=referent,
        notified_on=notified_on,
        comment=comment,
        by=by,
        reorientation_request=locked,
    )
    locked.decided_by, locked.decided_at, locked.new_decision = by.membership, timezone.now(), decision
    locked.decision_reason = comment
    locked.save()
    record_file_write(
        person,
        by=by,
        action="pathways.reorientation.accepted",
        what="Demande de réorientation acceptée",
        target=locked,
        data={"decision": str(decision.public_id)},
    )
    _notify(
        "Plateforme SPIE : votre demande de réorientation est acceptée",
        "pathways/emails/reorientation_decided.txt",
        {"request": locked, "link": reverse("pathways:orientation", args=[person.public_id])},
        [locked.requested_by.user.email],
    )
    return decision


@transaction.atomic
def refuse_reorientation(*, request, reason, by):
    locked = _locked(request)
    if not (reason or "").strip():
        raise DomainError("Motif du refus : expliquez la réponse au référent.", field="reason")
    _transition(locked, ReorientationStatus.REFUSED)
    locked.decided_by, locked.decided_at, locked.decision_reason = by.membership, timezone.now(), reason.strip()
    locked.save()
    record_file_write(
        locked.person,
        by=by,
        action="pathways.reorientation.refused",
        what="Demande de réorientation refusée",
        target=locked,
    )
    _notify(
        "Plateforme SPIE : réponse à votre demande de réorientation",
        "pathways/emails/reorientation_decided.txt",
        {"request": locked, "link": reverse("pathways:orientation", args=[locked.person.public_id])},
        [locked.requested_by.user.email],
    )
    return locked


@transaction.atomic
def cancel_reorientation(*, request, by):
    locked = _locked(request)
    _transition(locked, ReorientationStatus.CANCELLED)
    locked.decided_by, locked.decided_at = by.membership, timezone.now()
    locked.save()
    record_file_write(
        locked.person,
        by=by,
        action="pathways.reorientation.cancelled",
        what="Demande de réorientation annulée",
        target=locked,
    )
    return locked
