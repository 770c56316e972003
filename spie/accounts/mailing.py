"""The invitation e-mail queue: invitations are written queued, and sent by batches here.

Only the hash of an invitation's token is ever stored, so the link is made at sending time: each
send draws a fresh token, stores its hash and restarts the validity. A re-send therefore
invalidates the previous link.

The queue is drained by `manage.py send_queued_invitations` (cron, or `--loop` as a worker), and
small batches (a single invitation, a re-send, a small import) are also attempted right after
their transaction commits, so that nobody waits for the worker in everyday use.

Why a queue of our own rather than django-tasks: the state that pages must show (queued, sent,
failed, attempts, last error) belongs to each invitation anyway, so the invitation row *is* the
queue item; a task framework would add a second state to keep in step, a dependency and a worker
setting, for no gain. If django-tasks comes in for other jobs, `send_queued_invitations` becomes
one periodic task.
"""

import contextlib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .enums import EmailStatus
from .models import Invitation, hash_secret

INVITATION_VALIDITY_DAYS = 7
BATCH = 200
MAX_ATTEMPTS = 3
IMMEDIATE_LIMIT = 50


def _message(invitation, raw_token):
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[raw_token])
    body = render_to_string(
        "emails/invitation.txt", {"invitation": invitation, "link": link, "inviter": invitation.invited_by}
    )
    subject = f"Invitation à rejoindre {invitation.organisation.name} sur la plateforme SPIE"
    return EmailMessage(subject, body, None, [invitation.email])


def _claim(queryset, limit):
    """Mark up to `limit` queued invitations as being sent; returns their keys. The conditional
    update makes two workers never send the same invitation."""
    keys = list(queryset.filter(email_status=EmailStatus.QUEUED).order_by("pk").values_list("pk", flat=True)[:limit])
    if not keys:
        return []
    Invitation.objects.filter(pk__in=keys, email_status=EmailStatus.QUEUED).update(
        email_status=EmailStatus.SENDING, updated_at=timezone.now()
    )
    return list(Invitation.objects.filter(pk__in=keys, email_status=EmailStatus.SENDING).values_list("pk", flat=True))


def _send_batch(keys):
    invitations = list(
        Invitation.objects.filter(pk__in=keys).select_related("organisation", "invited_by").order_by("pk")
    )
    now = timezone.now()
    expires_at = now + timezone.timedelta(days=INVITATION_VALIDITY_DAYS)
    sent, failed = [], []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - the server is down: the whole batch fails, and is retried.
        for invitation in invitations:
            invitation.email_error = f"Serveur d'envoi indisponible ({type(error).__name__})"
        failed = invitations
        invitations = []
    for invitation in invitations:
        raw_token = Invitation.new_token()
        invitation.token_hash = hash_secret(raw_token)
        invitation.expires_at = expires_at
        try:
            message = _message(invitation, raw_token)
            message.connection = connection
            message.send()
        except Exception as error:  # noqa: BLE001 - one refused address must not stop the batch.
            invitation.email_error = f"Envoi refusé ({type(error).__name__})"
            failed.append(invitation)
        else:
            invitation.email_sent_at, invitation.email_error = now, ""
            sent.append(invitation)
    with contextlib.suppress(Exception):  # closing a broken connection changes nothing to the outcome
        connection.close()
    for invitation in sent:
        invitation.email_status = EmailStatus.SENT
    for invitation in failed:
        invitation.email_attempts += 1
        # A failure is retried by the next run until MAX_ATTEMPTS; then it waits for a manual re-send.
        invitation.email_status = EmailStatus.QUEUED if invitation.email_attempts < MAX_ATTEMPTS else EmailStatus.FAILED
    for invitation in sent:
        invitation.email_attempts += 1
    Invitation.objects.bulk_update(
        sent + failed,
        ["token_hash", "expires_at", "email_status", "email_attempts", "email_sent_at", "email_error"],
    )
    return len(sent), len([i for i in failed if i.email_status == EmailStatus.FAILED])


def send_queued_invitations(*, keys=None, source_import=None, limit=None, progress=None):
    """Send queued invitation e-mails (all, or those given), by batches of BATCH on one connection.

    Returns (sent, failed) where failed counts the invitations that gave up after MAX_ATTEMPTS.
    """
    queryset = Invitation.objects.filter(revoked_at__isnull=True, accepted_at__isnull=True)
    if keys is not None:
        queryset = queryset.filter(pk__in=keys)
    if source_import is not None:
        queryset = queryset.filter(source_import=source_import)
    total_sent = total_failed = 0
    seen_failures = set()
    while limit is None or total_sent + total_failed < limit:
        size = BATCH if limit is None else min(BATCH, limit - total_sent - total_failed)
        claimed = _claim(queryset.exclude(pk__in=seen_failures), size)
        if not claimed:
            break
        sent, failed = _send_batch(claimed)
        # A retried failure stays queued for the next run, not for this one (no busy loop).
        seen_failures.update(
            Invitation.objects.filter(pk__in=claimed)
            .exclude(email_status=EmailStatus.SENT)
            .values_list("pk", flat=True)
        )
        total_sent += sent
        total_failed += failed
        if progress:
            progress(len(claimed))
    return total_sent, total_failed


def send_soon(keys):
    """After the current transaction commits, try to send these invitations at once (small
    batches only; larger ones are left to the worker)."""
    keys = list(keys)
    if keys and len(keys) <= IMMEDIATE_LIMIT:
        transaction.on_commit(lambda: send_queued_invitations(keys=keys))


def queue_counts(queryset):
    """Counts by e-mail status (and accepted) for a status page: one query."""
    counts = queryset.aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(email_status__in=[EmailStatus.QUEUED, EmailStatus.SENDING])),
        sent=Count("pk", filter=Q(email_status=EmailStatus.SENT)),
        failed=Count("pk", filter=Q(email_status=EmailStatus.FAILED)),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        retried=Count("pk", filter=Q(email_status=EmailStatus.QUEUED, email_attempts__gt=0)),
    )
    done = counts["sent"] + counts["failed"]
    counts["percent"] = round(100 * done / counts["total"]) if counts["total"] else 100
    counts["finished"] = counts["queued"] == 0
    return counts


def requeue(queryset):
    """Put invitations back in the queue (a re-send): one update."""
    return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        email_status=EmailStatus.QUEUED, email_error="", email_attempts=0
    )


def release_stuck(minutes=15):
    """Invitations left `sending` by a worker that stopped mid-batch go back to the queue."""
    limit = timezone.now() - timezone.timedelta(minutes=minutes)
    return Invitation.objects.filter(email_status=EmailStatus.SENDING, updated_at__lt=limit).update(
        email_status=EmailStatus.QUEUED
    )
