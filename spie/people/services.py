"""Every write on a person's file: atomic, audited, and logged in the file's access log."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core import plugins
from spie.core.audit import record_event
from spie.core.errors import DomainError

from .enums import JOIN_REQUEST_TRANSITIONS, AccessKind, JoinRequestStatus, TeamEndReason
from .identifiers import encrypt_nir, lookup_hash
from .models import AccessLog, ConsentRecord, FollowUpMember, JoinRequest, Person

IDENTITY_FIELDS = ["birth_name", "usage_name", "first_names", "birth_date", "sex", "birth_place"]
CONTACT_FIELDS = ["email", "phone", "address", "postal_code", "commune"]
IDENTIFIER_FIELDS = ["si_id", "france_travail_id", "caf_number"]
RIGHTS_FIELDS = ["entry_date", "rsa_status", "unemployment_benefit", "rqth"]
# The contacts the person logs in with (spie.personspace), by login channel.
CONTACT_CHANNELS = {"email": "email", "phone": "sms"}


def log_access(*, person, by, kind, what):
    """One row of the file's access log (who, from which structure, when, what)."""
    return AccessLog.objects.create(
        person=person,
        territory_id=person.territory_id,
        user=getattr(by, "user", None),
        organisation=by.organisation if by is not None else None,
        via_api=getattr(by, "api_token", None) is not None,
        kind=kind,
        what=what,
    )


@transaction.atomic
def log_identity_shown(*, people, by, what):
    """Identities shown outside a file (the duplicate warning of the creation form): one limited
    access-log row and one audit event per person, in each file's timeline; no identity in the data."""
    for person in people:
        log_access(person=person, by=by, kind=AccessKind.LIMITED, what=what)
        record_event(action="people.identity.shown", target=person, by=by, territory=person.territory, subject=person)


def record_file_write(person, *, by, action, what, data=None, target=None):
    """The common tail of every write on a person's file: audit event (in the file's timeline),
    access-log row, activity date. Other apps call it for their own writes about a person."""
    record_event(
        action=action,
        target=target or person,
        by=by,
        territory=person.territory,
        subject=person,
        data=data or {},
    )
    log_access(person=person, by=by, kind=AccessKind.WRITE, what=what)
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(last_activity_at=now, purge_warned_at=None)
    person.last_activity_at, person.purge_warned_at = now, None


def find_duplicates(
    territory,
    *,
    nir="",
    france_travail_id="",
    si_id="",
    caf_number="",
    last_names=(),
    first_names="",
    birth_date=None,
):
    """People of the territory that are probably this person: same identifier, or same identity."""
    people = Person.objects.filter(territory=territory, anonymised_at__isnull=True)
    found = {}
    for field, value in (
        ("nir_hash", lookup_hash(nir)),
        ("france_travail_id", france_travail_id),
        ("si_id", si_id),
        ("caf_number", caf_number),
    ):
        if value:
            for person in people.filter(**{field: value}):
                found[person.pk] = person
    if birth_date and first_names:
        for last_name in filter(None, last_names):
            for person in people.matching_identity(last_name=last_name, first_name=first_names, birth_date=birth_date):
                found[person.pk] = person
    return list(found.values())


def _notify(subject, template, context, recipients):
    recipients = [email for email in recipients if email]
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


SELF_REFERENT_MESSAGE = (
    "Vous ne pouvez pas vous désigner vous-même référent·e : demandez à rejoindre l'équipe de suivi "
    "comme référent·e, la demande est décidée par le ou la référent·e actuel·le ou un·e chargé·e d'orientation."
)


def is_self(by, membership):
    """Whether `membership` is one of the author's own (a professional never makes themself referent)."""
    user = getattr(by, "user", None)
    return user is not None and membership.user_id == user.pk


def notify_previous_referents(counts, *, by, link):
    """Tell each previous referent that someone else is now referent of `count` of their people:
    one e-mail per professional, with no detail of the people's situation."""
    author = getattr(getattr(by, "user", None), "get_full_name", lambda: "")() or "La coordination SPIE"
    messages = []
    for membership, count in counts.items():
        body = render_to_string(
            "emails/referent_replaced.txt",
            {"count": count, "author": author, "link": link, "site_url": settings.SITE_URL},
        )
        subject = (
            f"Plateforme SPIE : vous n'êtes plus référent·e de {count} personnes"
            if count > 1
            else "Plateforme SPIE : vous n'êtes plus référent·e d'une personne"
        )
        if membership.user.email:
            messages.append((subject, body, membership.user.email))

    def send():
        for subject, body, email in messages:
            send_mail(subject, body, None, [email])

    if messages:
        transaction.on_commit(send)


def _make_referent(person, seat, *, by, what):
    """Make the active `seat` the person's referent; the previous referent stays a member and is told."""
    previous = (
        FollowUpMember.objects.filter(person=person, is_referent=True, ended_on__isnull=True)
        .exclude(pk=seat.pk)
        .select_related("membership__user")
        .first()
    )
    FollowUpMember.objects.filter(person=person, is_referent=True, ended_on__isnull=True).update(is_referent=False)
    seat.is_referent = True
    seat.save(update_fields=["is_referent", "updated_at"])
    record_file_write(
        person,
        by=by,
        action="people.referent.changed",
        what=what,
        data={"seat": str(seat.public_id)},
    )
    if previous is not None:
        notify_previous_referents(
            {previous.membership: 1}, by=by, link=reverse("people:detail", args=[person.public_id])
        )
    person.__dict__.pop("active_team", None)
    return seat


def _add_seat(person, membership, *, is_referent=False, can_see_sensitive=False):
    return FollowUpMember.objects.create(
        person=person,
        territory_id=person.territory_id,
        membership=membership,
        is_referent=is_referent,
        can_see_sensitive=can_see_sensitive,
    )


def _set_nir(person, nir):
    person.nir_encrypted = encrypt_nir(nir)
    person.nir_hash = lookup_hash(nir)


@transaction.atomic
def create_person(*, territory, data, nir="", as_referent=True, member=None, by):
    """Create the file; `member` (by default the author's membership) joins the follow-up team."""
    member = member or by.membership
    if member is None or member.organisation.territory_id != territory.pk:
        raise DomainError("Vous ne pouvez créer un dossier que dans le territoire de votre structure.")
    duplicates = find_duplicates(
        territory,
        nir=nir,
        france_travail_id=data.get("france_travail_id", ""),
        si_id=data.get("si_id", ""),
        caf_number=data.get("caf_number", ""),
        last_names=[data.get("birth_name"), data.get("usage_name")],
        first_names=data.get("first_names", ""),
        birth_date=data.get("birth_date"),
    )
    if duplicates:
        raise DomainError("Un dossier existe déjà pour cette personne : demandez à rejoindre son équipe de suivi.")
    person = Person(territory=territory, **data)
    _set_nir(person, nir)
    person.refresh_search_keys()
    if person.consent_given:
        person.consent_changed_at = timezone.now()
    person.save()
    if person.consent_given:
        ConsentRecord.objects.create(person=person, territory=territory, given=True, recorded_by=by.membership)
    _add_seat(person, member, is_referent=as_referent)
    record_file_write(person, by=by, action="people.person.created", what="Création du dossier")
    return person


UNIQUE_IDENTIFIERS = {
    "france_travail_id": "Cet identifiant France Travail est déjà celui d'un autre dossier du territoire.",
    "si_id": "Cet identifiant SI du Département est déjà celui d'un autre dossier du territoire.",
}


def _refuse_identifier_clash(person, changes):
    """An identifier unique in the territory (France Travail, SI) may not be another file's."""
    for field, message in UNIQUE_IDENTIFIERS.items():
        value = changes.get(field)
        others = Person.objects.filter(territory_id=person.territory_id, **{field: value}).exclude(pk=person.pk)
        if value and others.exists():
            raise DomainError(message, field=field)


@transaction.atomic
def update_person(*, person, changes, nir=None, by):
    """Apply validated changes to identity, contacts, identifiers or rights; logs field names only."""
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    _refuse_identifier_clash(person, {name: changes[name] for name in changed})
    previous_contacts = {name: getattr(person, name) for name in changed if name in CONTACT_CHANNELS}
    for name in changed:
        setattr(person, name, changes[name])
    if nir is not None and lookup_hash(nir) != person.nir_hash:
        clash = Person.objects.filter(territory_id=person.territory_id, nir_hash=lookup_hash(nir)).exclude(pk=person.pk)
        if nir and clash.exists():
            raise DomainError("Ce NIR est déjà celui d'un autre dossier du territoire.", field="nir")
        _set_nir(person, nir)
        changed.append("nir")
    if not changed:
        return person, []
    person.refresh_search_keys()
    person.save()
    record_file_write(
        person,
        by=by,
        action="people.person.updated",
        what="Modification du dossier",
        data={"fields": changed},
    )
    for name, previous in previous_contacts.items():
        # The old contact is told, and the new one cannot open the person's space until confirmed.
        plugins.contact_changed(person, channel=CONTACT_CHANNELS[name], previous=previous, by=by)
    return person, changed


@transaction.atomic
def set_consent(*, person, given, by):
    if person.consent_given == given:
        return person
    person.consent_given = given
    person.consent_changed_at = timezone.now()
    person.save(update_fields=["consent_given", "consent_changed_at", "updated_at"])
    ConsentRecord.objects.create(
        person=person, territory_id=person.territory_id, given=given, recorded_by=by.membership
    )
    action = "people.consent.given" if given else "people.consent.withdrawn"
    record_file_write(person, by=by, action=action, what="Consentement au partage")
    return person


def _transition(join_request, status):
    if status not in JOIN_REQUEST_TRANSITIONS[join_request.status]:
        raise DomainError("Cette demande a déjà été traitée.")
    join_request.status = status


def _deciders(person, *, requester=None):
    """Who is told of a join request: the referent, else the territory's orientation officers
    (never the requester themself)."""
    referent = person.referent
    if referent is not None and (requester is None or referent.membership.user_id != requester.user_id):
        return [referent.membership.user.email]
    officers = Membership.objects.active().filter(
        role=Role.CHARGE_ORIENTATION, organisation__territory_id=person.territory_id
    )
    if requester is not None:
        officers = officers.exclude(user_id=requester.user_id)
    return list(officers.values_list("user__email", flat=True))


@transaction.atomic
def request_to_join(*, person, message, by, as_referent=False):
    """Ask to join the team (or, with `as_referent`, to become the referent): decided by the
    referent or an orientation officer, never by the requester."""
    seat = next((seat for seat in person.active_team if seat.membership_id == by.membership.pk), None)
    if seat is not None and not as_referent:
        raise DomainError("Vous faites déjà partie de l'équipe de suivi.")
    if seat is not None and seat.is_referent:
        raise DomainError("Vous êtes déjà référent·e de cette personne.")
    if JoinRequest.objects.filter(person=person, membership=by.membership, status=JoinRequestStatus.PENDING).exists():
        raise DomainError("Votre demande est déjà en attente de réponse.")
    join_request = JoinRequest.objects.create(
        person=person,
        territory_id=person.territory_id,
        membership=by.membership,
        message=message,
        as_referent=as_referent,
    )
    record_event(
        action="people.join_request.created",
        target=join_request,
        by=by,
        territory=person.territory,
        subject=person,
        data={"as_referent": as_referent},
    )
    _notify(
        "Plateforme SPIE : demande pour rejoindre une équipe de suivi",
        "emails/join_request_created.txt",
        {"join_request": join_request, "link": reverse("people:team", args=[person.public_id])},
        _deciders(person, requester=by.membership),
    )
    return join_request


@transaction.atomic
def approve_join_request(*, join_request, by):
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if is_self(by, join_request.membership):
        raise DomainError("Vous ne pouvez pas décider de votre propre demande.")
    _transition(join_request, JoinRequestStatus.APPROVED)
    join_request.decided_by, join_request.decided_at = by.membership, timezone.now()
    join_request.save()
    person = join_request.person
    seat = next((seat for seat in person.active_team if seat.membership_id == join_request.membership_id), None)
    if seat is None:
        seat = _add_seat(person, join_request.membership)
    record_file_write(
        person,
        by=by,
        action="people.join_request.approved",
        what="Entrée dans l'équipe de suivi",
        target=join_request,
        data={"seat": str(seat.public_id), "as_referent": join_request.as_referent},
    )
    if join_request.as_referent and not seat.is_referent:
        _make_referent(person, seat, by=by, what="Changement de référent (demande acceptée)")
    _notify(
        "Plateforme SPIE : vous avez rejoint une équipe de suivi",
        "emails/join_request_decided.txt",
        {"join_request": join_request, "link": reverse("people:detail", args=[person.public_id])},
        [join_request.membership.user.email],
    )
    return seat


@transaction.atomic
def refuse_join_request(*, join_request, reason, by):
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _transition(join_request, JoinRequestStatus.REFUSED)
    join_request.decided_by, join_request.decided_at = by.membership, timezone.now()
    join_request.decision_reason = reason
    join_request.save()
    record_event(
        action="people.join_request.refused",
        target=join_request,
        by=by,
        territory=join_request.person.territory,
        subject=join_request.person,
    )
    _notify(
        "Plateforme SPIE : réponse à votre demande",
        "emails/join_request_decided.txt",
        {"join_request": join_request, "link": ""},
        [join_request.membership.user.email],
    )
    return join_request


@transaction.atomic
def hand_over_referent(*, person, to_seat, by):
    """Make `to_seat` (an active member) the referent; the previous referent stays in the team."""
    if to_seat.person_id != person.pk or not to_seat.is_active:
        raise DomainError("Le nouveau référent doit être membre actif de l'équipe de suivi.")
    if to_seat.is_referent:
        raise DomainError("Ce professionnel est déjà référent.")
    if is_self(by, to_seat.membership):
        raise DomainError(SELF_REFERENT_MESSAGE)
    return _make_referent(person, to_seat, by=by, what="Changement de référent")


@transaction.atomic
def leave_team(*, seat, reason=TeamEndReason.LEFT, by):
    """End a seat in the team; the history stays. A referent hands over first if others remain."""
    if not seat.is_active:
        raise DomainError("Ce professionnel ne fait plus partie de l'équipe.")
    others = [other for other in seat.person.active_team if other.pk != seat.pk]
    if seat.is_referent and (others or seat.person.oriented_at):
        # Once oriented, a person keeps exactly one referent: the role is handed over, never dropped.
        raise DomainError("Transmettez d'abord le rôle de référent à un autre membre de l'équipe.")
    seat.ended_on = timezone.localdate()
    seat.end_reason = reason
    seat.is_referent = False
    seat.save(update_fields=["ended_on", "end_reason", "is_referent", "updated_at"])
    record_file_write(
        seat.person,
        by=by,
        action="people.team_member.left",
        what="Sortie de l'équipe de suivi",
        data={"seat": str(seat.public_id), "reason": reason},
    )
    return seat


@transaction.atomic
def set_sensitive_access(*, seat, allowed, by):
    if seat.can_see_sensitive == allowed:
        return seat
    seat.can_see_sensitive = allowed
    seat.save(update_fields=["can_see_sensitive", "updated_at"])
    action = "people.sensitive_access.granted" if allowed else "people.sensitive_access.revoked"
    record_file_write(
        seat.person,
        by=by,
        action=action,
        what="Habilitation aux informations sensibles",
        data={"seat": str(seat.public_id)},
    )
    return seat


@transaction.atomic
def add_team_member(*, person, membership, by, what="Entrée dans l'équipe de suivi"):
    """Seat `membership` in the team as a member (kept if already seated). For other apps' flows
    (an accepted referral, an orientation) where joining is decided by the flow itself."""
    seat = next((seat for seat in person.active_team if seat.membership_id == membership.pk), None)
    if seat is not None:
        return seat
    if membership.organisation.territory_id != person.territory_id:
        raise DomainError("Ce professionnel n'appartient pas au territoire de la personne.")
    seat = _add_seat(person, membership)
    record_file_write(
        person, by=by, action="people.team_member.added", what=what, target=seat, data={"seat": str(seat.public_id)}
    )
    person.__dict__.pop("active_team", None)
    return seat


@transaction.atomic
def assign_referent(*, person, membership, by, oriented_at=None):
    """Make `membership` the person's referent (seating it if needed); the previous referent stays
    a member and is told. With `oriented_at`, also records that the person is oriented from that
    date. Nobody designates themself: they ask (`request_to_join(as_referent=True)`)."""
    current = next((seat for seat in person.active_team if seat.membership_id == membership.pk), None)
    if is_self(by, membership) and not (current is not None and current.is_referent):
        raise DomainError(SELF_REFERENT_MESSAGE)
    seat = add_team_member(person=person, membership=membership, by=by)
    if not seat.is_referent:
        _make_referent(person, seat, by=by, what="Désignation du référent")
    if oriented_at is not None:
        Person.objects.filter(pk=person.pk).update(oriented_at=oriented_at)
        person.oriented_at = oriented_at
    person.__dict__.pop("active_team", None)
    return seat
