"""Who is due a questionnaire, and sending invitations and reminders (by e-mail or SMS).

Each step is found with one query over its source table (validated diagnostics, signed contracts,
closed pathways, returns to work six months ago), excluding people already invited for that step,
anonymised files and people without an e-mail or a telephone number.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.diagnostics.enums import DiagnosticStatus
from spie.diagnostics.models import Diagnostic
from spie.pathways import sms
from spie.pathways.dates import add_months
from spie.pathways.enums import Stage
from spie.pathways.models import EmploymentFollowUp, EngagementContract, Pathway
from spie.people.models import Person

from . import links, policies
from .enums import Channel, Step
from .models import QuestionnaireInvitation, QuestionnaireLink
from .questions import questionnaire_for

# French mobile numbers in E.164 (metropolitan 06/07 and the overseas mobile ranges).
MOBILE = re.compile(r"^\+(33[67]|590690|590691|594694|596696|596697|262692|262693|269639)\d+$")


def is_mobile(phone):
    return bool(phone) and MOBILE.match(phone) is not None


@dataclass
class Due:
    person_id: int
    territory_id: int
    pathway_id: int | None
    step: str
    reached_on: datetime.date


def _not_invited(step):
    return ~Exists(QuestionnaireInvitation.objects.filter(person=OuterRef("person_id"), step=step))


def _reachable():
    return Exists(
        Person.objects.filter(pk=OuterRef("person_id"), anonymised_at__isnull=True).filter(~Q(email="") | ~Q(phone=""))
    )


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _sources(today):
    """For each step: the rows of people who reached it recently, as (person, territory, pathway, date)."""
    since = today - datetime.timedelta(days=policies.STEP_LOOKBACK_DAYS)
    open_pathway = Pathway.objects.open().filter(person=OuterRef("person_id")).values("pk")[:1]
    diagnostics = (
        Diagnostic.objects.filter(
            status=DiagnosticStatus.VALIDATED,
            validated_at__gte=_start_of(since),
            validated_at__lt=_start_of(today + datetime.timedelta(days=1)),
        )
        .annotate(open_pathway=Subquery(open_pathway))
        .values_list("person_id", "territory_id", "open_pathway", "validated_at")
    )
    contracts = EngagementContract.objects.filter(
        signed_at__gte=_start_of(since), signed_at__lt=_start_of(today + datetime.timedelta(days=1))
    ).values_list("person_id", "territory_id", "pathway_id", "signed_at")
    exits = Pathway.objects.filter(stage=Stage.CLOSED, closed_on__gte=since, closed_on__lte=today).values_list(
        "person_id", "territory_id", "pk", "closed_on"
    )
    months = policies.EMPLOYMENT_DELAY_MONTHS
    jobs = EmploymentFollowUp.objects.filter(
        start_date__gte=add_months(since, -months), start_date__lte=add_months(today, -months)
    ).values_list("person_id", "territory_id", "pathway_id", "start_date")
    return {
        Step.AFTER_DIAGNOSTIC: (diagnostics, lambda value: timezone.localdate(value)),
        Step.AFTER_CONTRACT: (contracts, lambda value: timezone.localdate(value)),
        Step.EXIT: (exits, lambda value: value),
        Step.EMPLOYMENT_M6: (jobs, lambda value: add_months(value, months)),
    }


def due_invitations(today, territory_ids=None):
    """The questionnaires to send today: one per person and step reached, never twice."""
    due = {}
    for step, (rows, reached) in _sources(today).items():
        rows = rows.filter(_reachable(), _not_invited(step))
        if territory_ids is not None:
            rows = rows.filter(territory_id__in=territory_ids)
        for person_id, territory_id, pathway_id, when in rows.order_by("person_id"):
            key = (person_id, step)
            reached_on = reached(when)
            if key not in due or reached_on < due[key].reached_on:
                due[key] = Due(person_id, territory_id, pathway_id, step, reached_on)
    return list(due.values())


def channel_for(person):
    if person.email:
        return Channel.EMAIL
    if is_mobile(person.phone):
        return Channel.SMS
    return None


def _audit_rows(invitations, people, action, now):
    return [
        AuditEvent(
            action=action,
            territory_id=invitation.territory_id,
            target_type=QuestionnaireInvitation._meta.label_lower,
            target_id=invitation.public_id,
            subject_id=people[invitation.person_id].public_id,
            data={"step": invitation.step, "channel": invitation.channel},
            created_at=now,
        )
        for invitation in invitations
    ]


@transaction.atomic
def create_invitations(dues, now):
    """Invitations, their links and their audit rows, set-based. Returns `(invitation, person,
    raw token)` for each one to deliver; people without a usable e-mail or mobile are skipped."""
    people = Person.objects.in_bulk({due.person_id for due in dues})
    invitations = []
    for due in dues:
        person = people[due.person_id]
        channel = channel_for(person)
        if channel is None:
            continue
        invitations.append(
            QuestionnaireInvitation(
                territory_id=due.territory_id,
                person_id=due.person_id,
                pathway_id=due.pathway_id,
                step=due.step,
                version=questionnaire_for(due.step).version,
                channel=channel,
                step_reached_on=due.reached_on,
                sent_at=now,
                expires_at=now + datetime.timedelta(days=policies.LINK_VALIDITY_DAYS),
            )
        )
    QuestionnaireInvitation.objects.bulk_create(invitations, ignore_conflicts=True)
    invitations = list(
        QuestionnaireInvitation.objects.filter(
            public_id__in=[invitation.public_id for invitation in invitations]
        ).select_related("territory")
    )
    return _with_links(invitations, people, "questionnaires.invitation.sent", now)


def _with_links(invitations, people, action, now):
    pairs = [links.new_link(invitation) for invitation in invitations]
    QuestionnaireLink.objects.bulk_create([link for link, _ in pairs])
    AuditEvent.objects.bulk_create(_audit_rows(invitations, people, action, now))
    return [
        (invitation, people[invitation.person_id], raw) for invitation, (_, raw) in zip(invitations, pairs, strict=True)
    ]


def due_reminders(now):
    """Invitations sent long enough ago, still unanswered and open, not yet reminded."""
    return QuestionnaireInvitation.objects.filter(
        reminded_at__isnull=True,
        answered_at__isnull=True,
        sent_at__lte=now - datetime.timedelta(days=policies.REMINDER_AFTER_DAYS),
        expires_at__gt=now,
    )


@transaction.atomic
def create_reminders(now, territory_ids=None):
    """Mark the due reminders and give each its own new link (the first one keeps working)."""
    due = due_reminders(now)
    if territory_ids is not None:
        due = due.filter(territory_id__in=territory_ids)
    invitations = list(due.select_for_update(of=("self",)).select_related("territory").order_by("pk"))
    for invitation in invitations:
        invitation.reminded_at = now
    QuestionnaireInvitation.objects.bulk_update(invitations, ["reminded_at"])
    people = Person.objects.in_bulk({invitation.person_id for invitation in invitations})
    return _with_links(invitations, people, "questionnaires.invitation.reminded", now)


def deliver(invitation, person, raw, *, reminder=False):
    """Send the message with its link; False if it could not be sent (it stays recorded)."""
    questionnaire = questionnaire_for(invitation.step)
    url = links.url_for(raw)
    until = timezone.localtime(invitation.expires_at, ZoneInfo(invitation.territory.time_zone)).strftime("%d/%m/%Y")
    try:
        if invitation.channel == Channel.EMAIL:
            context = {
                "person": person,
                "questionnaire": questionnaire,
                "url": url,
                "until": until,
                "reminder": reminder,
                "site_url": settings.SITE_URL,
            }
            subject = ("Rappel : " if reminder else "") + "votre avis sur votre accompagnement (2 minutes)"
            send_mail(subject, render_to_string("emails/questionnaires_invitation.txt", context), None, [person.email])
            return True
        intro = "Rappel : votre avis compte" if reminder else "Votre avis compte"
        text = f"SPIE - {intro}. {questionnaire.title} (2 min) : {url} (jusqu'au {until})"
        return bool(sms.send_sms(person.phone, text))
    except Exception:  # one failed delivery must not stop the others
        return False
