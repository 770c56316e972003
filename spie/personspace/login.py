"""How a person logs in to their space: a link by e-mail or a six-digit code by SMS (or to the
mobile application), never a password.

- The answer to a request is the same whether or not the e-mail or number matches a file (no
  enumeration); a secret is only sent to the e-mail or number written in the person's file.
- A secret is stored as a keyed hash, expires, serves once; a newer one replaces the older ones.
- A link is consumed by a button press (POST), never by opening it: e-mail scanners follow links.
- A code is refused after `CODE_MAX_ATTEMPTS` wrong tries.
- Requests and refused uses are limited per identifier and per IP address, with rows in the
  database (so that the limits hold across processes); the address is read by
  `spie.core.clientip.client_ip`, which believes `X-Forwarded-For` only from `TRUSTED_PROXIES`.
- While a contact changed by a professional is not confirmed, a login asked with it sends the
  secret to the previous contact, or nothing (spie.personspace.contacts).
- Every request, use and refusal is written to the audit log, in the person's file when known;
  the audit data never holds the e-mail, the number, the address or the secret.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from spie.core import ratelimit
from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.pathways.sms import send_sms
from spie.people.identifiers import lookup_hash, normalize_phone
from spie.people.models import Person

from . import contacts, policies
from .enums import AttemptKind, Channel, SecretKind
from .models import ApiSession, LoginAttempt, LoginSecret

IDENTIFIER_MESSAGE = (
    "Saisissez votre adresse e-mail (ex. nom@exemple.fr) ou votre numéro de mobile (ex. 06 12 34 56 78)."
)
THROTTLED_MESSAGE = "Trop de demandes en peu de temps : patientez une heure avant de réessayer."
CODE_MESSAGE = "Ce code n'est pas valable ou a expiré : vérifiez-le, ou demandez un nouveau code."
STATE_MESSAGES = {
    "used": "Ce lien a déjà été utilisé : il ne sert qu'une seule fois. Demandez un nouveau lien.",
    "expired": "Ce lien a expiré : demandez un nouveau lien de connexion.",
    "revoked": "Ce lien a été remplacé par un lien plus récent : utilisez le dernier e-mail reçu.",
    "closed": "Ce dossier n'est plus ouvert : contactez la structure qui vous accompagne.",
}
# People sharing an e-mail or a number (a family, a file in two territories): each gets a secret.
MAX_PEOPLE_PER_IDENTIFIER = 3


class Throttled(DomainError):
    """Too many requests or refused uses: the caller answers 429."""


def normalize_identifier(raw):
    """`(channel, value)`: a lower-case e-mail, or a mobile number in E.164."""
    value = (raw or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(IDENTIFIER_MESSAGE, field="identifiant") from None
        return Channel.EMAIL, value.lower()
    try:
        phone = normalize_phone(value)
    except ValidationError:
        raise DomainError(IDENTIFIER_MESSAGE, field="identifiant") from None
    if not phone:
        raise DomainError(IDENTIFIER_MESSAGE, field="identifiant")
    return Channel.SMS, phone


def identifier_hash(value):
    return lookup_hash(f"personspace:{value}")


def ip_hash(ip):
    return lookup_hash(f"personspace-ip:{ip}") if ip else ""


def _over_limit(kind, limit, **match):
    return ratelimit.over_limit(LoginAttempt, limit, minutes=policies.WINDOW_MINUTES, kind=kind, **match)


def _throttle_scope(kind, *, id_hash="", addr_hash=""):
    if kind == AttemptKind.REQUEST:
        per_identifier, per_ip = policies.REQUESTS_PER_IDENTIFIER, policies.REQUESTS_PER_IP
    else:
        per_identifier, per_ip = policies.FAILURES_PER_IDENTIFIER, policies.FAILURES_PER_IP
    if _over_limit(kind, per_identifier, identifier_hash=id_hash):
        return "identifiant"
    if _over_limit(kind, per_ip, ip_hash=addr_hash):
        return "adresse IP"
    return None


def _check_throttle(kind, *, channel, id_hash="", addr_hash=""):
    scope = _throttle_scope(kind, id_hash=id_hash, addr_hash=addr_hash)
    if scope is not None:
        record_event(action="personspace.login.throttled", data={"channel": channel, "scope": scope, "step": kind})
        raise Throttled(THROTTLED_MESSAGE)


def _remember_attempt(kind, *, id_hash="", addr_hash=""):
    ratelimit.remember_hit(
        LoginAttempt, kept_hours=policies.ATTEMPTS_KEPT_HOURS, kind=kind, identifier_hash=id_hash, ip_hash=addr_hash
    )


def people_for(channel, value):
    people = Person.objects.filter(anonymised_at__isnull=True).select_related("territory")
    people = people.filter(email__iexact=value) if channel == Channel.EMAIL else people.filter(phone=value)
    return list(people.order_by("pk")[:MAX_PEOPLE_PER_IDENTIFIER])


def issue_secret(*, person, kind, channel, id_hash="", for_api=False, sent_by=None):
    """A new secret for `person` (their earlier unused secrets of the same kind are revoked);
    returns the secret and the raw value, which only ever travels in the e-mail or SMS."""
    now = timezone.now()
    LoginSecret.objects.filter(person=person, kind=kind, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    if kind == SecretKind.CODE:
        raw, validity = LoginSecret.new_code(), datetime.timedelta(minutes=policies.CODE_VALIDITY_MINUTES)
    elif kind == SecretKind.INVITATION:
        raw, validity = LoginSecret.new_link_token(), datetime.timedelta(hours=policies.INVITATION_VALIDITY_HOURS)
    else:
        raw, validity = LoginSecret.new_link_token(), datetime.timedelta(minutes=policies.LINK_VALIDITY_MINUTES)
    secret = LoginSecret.objects.create(
        person=person,
        territory_id=person.territory_id,
        kind=kind,
        channel=channel,
        secret_hash=LoginSecret.hash(raw),
        identifier_hash=id_hash,
        for_api=for_api,
        expires_at=now + validity,
        sent_by=sent_by,
    )
    return secret, raw


def link_url(raw):
    return settings.SITE_URL + reverse("personspace:link", args=[raw])


def send_email_soon(subject, template, context, recipient):
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


def send_sms_soon(phone, text):
    transaction.on_commit(lambda: send_sms(phone, text))


def _send(secret, raw, *, channel, value, person):
    if secret.kind == SecretKind.CODE and channel == Channel.SMS:
        send_sms_soon(
            value,
            f"Plateforme SPIE : votre code de connexion à votre espace personnel est {raw}. "
            f"Il est valable {policies.CODE_VALIDITY_MINUTES} minutes. Ne le communiquez à personne.",
        )
    elif secret.kind == SecretKind.CODE:
        send_email_soon(
            "Votre code de connexion à votre espace personnel",
            "emails/personspace_login_code.txt",
            {"person": person, "code": raw, "minutes": policies.CODE_VALIDITY_MINUTES},
            value,
        )
    else:
        send_email_soon(
            "Votre lien de connexion à votre espace personnel",
            "emails/personspace_login_link.txt",
            {"person": person, "link": link_url(raw), "minutes": policies.LINK_VALIDITY_MINUTES},
            value,
        )


def request_login(*, identifier, ip, for_api=False):
    """Send a link (e-mail) or a code (SMS; always a code for the mobile application) to each file
    whose e-mail or mobile number is `identifier`. Returns the channel; the caller gives the same
    answer whether or not a file matched."""
    channel, value = normalize_identifier(identifier)
    id_hash, addr_hash = identifier_hash(value), ip_hash(ip)
    _check_throttle(AttemptKind.REQUEST, channel=channel, id_hash=id_hash, addr_hash=addr_hash)
    with transaction.atomic():
        _remember_attempt(AttemptKind.REQUEST, id_hash=id_hash, addr_hash=addr_hash)
        people = people_for(channel, value)
        if not people:
            record_event(action="personspace.login.unknown", data={"channel": channel, "api": for_api})
        kind = SecretKind.CODE if (channel == Channel.SMS or for_api) else SecretKind.LINK
        for person in people:
            change = contacts.pending_change(person, channel, id_hash)
            if change is not None:
                # A new contact not confirmed yet: nothing goes to it (see spie.personspace.contacts).
                contacts.hold_login(change=change, person=person, channel=channel, id_hash=id_hash, for_api=for_api)
                continue
            secret, raw = issue_secret(person=person, kind=kind, channel=channel, id_hash=id_hash, for_api=for_api)
            _send(secret, raw, channel=channel, value=value, person=person)
            record_event(
                action="personspace.login.requested",
                target=secret,
                territory=person.territory,
                subject=person,
                data={"channel": channel, "kind": kind, "api": for_api},
            )
    return channel


def verify_code(*, identifier, code, ip, for_api=False):
    """The person whose pending code for `identifier` is `code` (the code is spent). A wrong code
    counts against every pending code of the identifier and against the IP address."""
    channel, value = normalize_identifier(identifier)
    id_hash, addr_hash = identifier_hash(value), ip_hash(ip)
    _check_throttle(AttemptKind.FAILURE, channel=channel, id_hash=id_hash, addr_hash=addr_hash)
    code = "".join((code or "").split())
    with transaction.atomic():
        pending = list(
            LoginSecret.objects.select_for_update()
            .select_related("person__territory")
            .filter(
                kind=SecretKind.CODE,
                identifier_hash=id_hash,
                used_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                for_api=for_api,
            )
            .order_by("pk")
        )
        match = next((secret for secret in pending if code and secret.secret_hash == LoginSecret.hash(code)), None)
        if match is not None and match.person.anonymised_at is None:
            match.used_at = timezone.now()
            match.save(update_fields=["used_at", "updated_at"])
            contacts.confirm_by_secret(match)
            record_event(
                action="personspace.login.code_used",
                target=match,
                territory=match.person.territory,
                subject=match.person,
                data={"channel": match.channel, "api": for_api},
            )
            return match.person
        _remember_attempt(AttemptKind.FAILURE, id_hash=id_hash, addr_hash=addr_hash)
        for secret in pending:
            secret.failed_attempts += 1
            if secret.failed_attempts >= policies.CODE_MAX_ATTEMPTS:
                secret.revoked_at = timezone.now()
            secret.save(update_fields=["failed_attempts", "revoked_at", "updated_at"])
            record_event(
                action="personspace.login.code_refused",
                target=secret,
                territory=secret.person.territory,
                subject=secret.person,
                data={"attempts": secret.failed_attempts, "blocked": secret.revoked_at is not None},
            )
        if not pending:
            record_event(action="personspace.login.code_refused", data={"channel": channel, "pending": False})
    raise DomainError(CODE_MESSAGE, field="code")


def find_link(raw):
    """The link this token designates, whatever its state (None if unknown)."""
    return (
        LoginSecret.objects.select_related("person__territory")
        .filter(kind__in=[SecretKind.LINK, SecretKind.INVITATION], secret_hash=LoginSecret.hash(raw))
        .first()
    )


def link_state(secret):
    if secret.state == "usable" and secret.person.anonymised_at is not None:
        return "closed"
    return secret.state


def check_unknown_link(ip):
    """An unknown token counts as a refused use of this IP address (guessing links is throttled)."""
    addr_hash = ip_hash(ip)
    _check_throttle(AttemptKind.FAILURE, channel=Channel.EMAIL, addr_hash=addr_hash)
    _remember_attempt(AttemptKind.FAILURE, addr_hash=addr_hash)
    record_event(action="personspace.login.link_unknown")


def refuse_link(secret, state):
    """Log a refused use (outside any transaction, so that the trace stays)."""
    record_event(
        action="personspace.login.link_refused",
        target=secret,
        territory=secret.person.territory,
        subject=secret.person,
        data={"kind": secret.kind, "state": state},
    )


@transaction.atomic
def consume_link(secret):
    """Spend the link (locked row) and audit its use; returns the person. A link already used,
    expired or replaced is refused with the reason."""
    locked = LoginSecret.objects.select_for_update().select_related("person__territory").get(pk=secret.pk)
    state = link_state(locked)
    if state != "usable":
        raise DomainError(STATE_MESSAGES.get(state, "Ce lien n'est pas valable."))
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at", "updated_at"])
    contacts.confirm_by_secret(locked)
    record_event(
        action="personspace.login.link_used",
        target=locked,
        territory=locked.person.territory,
        subject=locked.person,
        data={"kind": locked.kind},
    )
    return locked.person


@transaction.atomic
def open_api_session(person):
    """A bearer token for the mobile application; returns the session and the raw token."""
    raw = LoginSecret.new_link_token()
    session = ApiSession.objects.create(
        person=person,
        territory_id=person.territory_id,
        token_hash=LoginSecret.hash(raw),
        expires_at=timezone.now() + datetime.timedelta(hours=policies.API_TOKEN_VALIDITY_HOURS),
    )
    record_event(action="personspace.api.session_opened", target=session, territory=person.territory, subject=person)
    return session, raw


@transaction.atomic
def close_api_session(session):
    ApiSession.objects.filter(pk=session.pk).update(revoked_at=timezone.now())
    record_event(
        action="personspace.api.session_closed",
        target=session,
        territory=session.person.territory,
        subject=session.person,
    )


def record_logout(person):
    record_event(action="personspace.logout", target=person, territory=person.territory, subject=person)
