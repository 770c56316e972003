"""RGPD retention: warn the referent, then anonymise files with no activity for too long.

A file inactive for `inactivity_purge_months` (territory setting, 24 by default) is anonymised,
but never less than `purge_warning_days` after its referent was warned. What indicators need
stays: territory, sex, year and month of birth, and the dates of the steps.
"""

from collections import defaultdict
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.territories.models import Territory, TerritorySettings
from spie.territories.policies import policy_for

from .models import FollowUpMember, JoinRequest, Person, active_team_q

ANONYMOUS = "ANONYME"


def _months_ago(now, months):
    return now - timedelta(days=round(months * 30.4375))


def plan_purge(territory, now=None):
    """(to warn, to anonymise) querysets of the territory's people."""
    now = now or timezone.now()
    policy = policy_for(territory, settings_row=TerritorySettings.objects.filter(territory=territory).first())
    limit = _months_ago(now, policy.inactivity_purge_months)
    warning = timedelta(days=policy.purge_warning_days)
    people = Person.objects.filter(territory=territory, anonymised_at__isnull=True)
    to_warn = people.filter(last_activity_at__lt=limit + warning, purge_warned_at__isnull=True)
    to_anonymise = people.filter(last_activity_at__lt=limit, purge_warned_at__lte=now - warning)
    return to_warn, to_anonymise, now + warning


@transaction.atomic
def warn_referents(people, *, anonymise_on):
    """One e-mail per referent listing how many of their files will be anonymised, and when."""
    people = list(people.only("pk", "public_id"))
    seats = FollowUpMember.objects.filter(active_team_q(), is_referent=True, person__in=people).select_related(
        "membership__user"
    )
    by_referent = defaultdict(list)
    for seat in seats:
        by_referent[seat.membership.user.email].append(seat.person_id)
    Person.objects.filter(pk__in=[p.pk for p in people]).update(purge_warned_at=timezone.now())
    for email, person_ids in by_referent.items():
        body = render_to_string("emails/purge_warning.txt", {"count": len(person_ids), "date": anonymise_on})
        transaction.on_commit(
            lambda email=email, body=body: send_mail(
                "Plateforme SPIE : dossiers sans activité bientôt anonymisés", body, None, [email]
            )
        )
    return len(people), len(by_referent)


@transaction.atomic
def anonymise(people):
    """Erase every identifying value, keeping territory, sex, birth year-month and step dates."""
    now = timezone.now()
    rows = list(people.values_list("pk", "public_id", "territory_id"))
    pks = [pk for pk, _, _ in rows]
    Person.objects.filter(pk__in=pks).update(
        birth_name=ANONYMOUS,
        usage_name="",
        first_names=ANONYMOUS,
        birth_date=TruncMonth("birth_date"),
        birth_place="",
        email="",
        phone="",
        address="",
        postal_code="",
        commune=None,
        si_id="",
        france_travail_id="",
        caf_number="",
        nir_encrypted="",
        nir_hash="",
        rqth=False,
        search_birth_name="",
        search_usage_name="",
        search_first_name="",
        anonymised_at=now,
    )
    JoinRequest.objects.filter(person_id__in=pks).update(message="", decision_reason="")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="people.person.anonymised",
            territory_id=territory_id,
            target_type="people.person",
            target_id=public_id,
            subject_id=public_id,
        )
        for _, public_id, territory_id in rows
    )
    return len(pks)


def territories(code=None):
    queryset = Territory.objects.order_by("code")
    return queryset.filter(code=code) if code else queryset
