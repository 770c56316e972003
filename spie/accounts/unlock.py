"""The second way out of a login lockout: a signed link e-mailed to the account's own address.

django-axes locks an account for a while after repeated failed logins; anyone who knows an address
can therefore lock its owner out. The owner asks, from the lockout page, for an unlock link; it is
signed (django.core.signing), expires after `ACCOUNT_UNLOCK_LINK_MINUTES`, and is bound to the
failed-login records it was made for: once used they are deleted, so the link works once.
No table of our own: the state is the axes records themselves.
"""

import hashlib

from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from spie.core.audit import record_event

from .models import User

SALT = "spie.accounts.unlock"
# One link per account at most this often, so that the form cannot flood a mailbox.
RESEND_DELAY_SECONDS = 5 * 60


def _attempts(email):
    """The axes records of this account (axes keeps the address as typed, in any case)."""
    return AccessAttempt.objects.filter(username__iexact=email)


def _fingerprint(email):
    keys = sorted(_attempts(email).values_list("pk", flat=True))
    if not keys:
        return ""
    return hashlib.sha256(",".join(map(str, keys)).encode()).hexdigest()[:20]


def send_unlock_link(*, email):
    """E-mail an unlock link to `email` if it is an active account with failed logins on record.

    Returns nothing: the page answers the same whether or not the address has an account."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    fingerprint = _fingerprint(user.email)
    if not fingerprint or not cache.add(f"accounts-unlock-sent-{user.pk}", True, RESEND_DELAY_SECONDS):
        return
    token = signing.dumps({"u": str(user.public_id), "f": fingerprint}, salt=SALT)
    link = settings.SITE_URL + reverse("accounts:unlock", args=[token])
    body = render_to_string(
        "emails/account_unlock.txt", {"link": link, "minutes": settings.ACCOUNT_UNLOCK_LINK_MINUTES}
    )
    EmailMessage("Plateforme SPIE : débloquer votre compte", body, None, [user.email]).send()
    record_event(action="accounts.user.unlock_link_sent", target=user)


def user_for_unlock_token(token):
    """The account a valid, unused, unexpired link unlocks; None otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.ACCOUNT_UNLOCK_LINK_MINUTES * 60)
    except signing.BadSignature:  # also raised for an expired link (SignatureExpired)
        return None
    user = User.objects.filter(public_id=payload.get("u"), is_active=True).first()
    if user is None or not payload.get("f") or _fingerprint(user.email) != payload["f"]:
        return None
    return user


def unlock_account(*, token):
    """Clear the lockout of the account the link was made for; returns it, or None if the link is
    invalid, expired or already used."""
    user = user_for_unlock_token(token)
    if user is None:
        return None
    _attempts(user.email).delete()
    cache.delete(f"accounts-unlock-sent-{user.pk}")
    record_event(action="accounts.user.unlocked", target=user)
    return user
