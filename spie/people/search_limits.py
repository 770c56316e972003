"""Rate limit of the exact identity search (by identifier, or by name + first name + birth date).

The search answers who a person is and who follows them, to avoid duplicate files; run in a loop
it would disclose the territory's files one by one. So each search is counted in the database
(with the mechanism of spie.core.ratelimit, as the person's space login is), per account (a
professional, or a partner's API token) and per structure, over a sliding window; past the limit
the search is refused with a French message. Every search, and every refusal, leaves an audit
event (the mode and the number of results, never what was searched). Past the alert threshold of
an account, or the limit of a structure, the territory's coordinators get one e-mail per window.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core import ratelimit
from spie.core.audit import record_event
from spie.core.errors import DomainError

from .models import IdentitySearchHit

Kind = IdentitySearchHit.Kind
LIMITED_MESSAGE = (
    "Trop de recherches d'identité en peu de temps : la recherche est suspendue pour "
    "{scope} pendant une heure au plus. Si vous avez besoin de rechercher de nombreuses "
    "personnes, contactez la coordination SPIE de votre territoire."
)
SCOPE_LABELS = {"compte": "votre compte", "structure": "votre structure"}
KEPT_HOURS = 48


class SearchLimited(DomainError):
    """Too many searches: the caller answers 429."""


def _window():
    return settings.IDENTITY_SEARCH_WINDOW_MINUTES


def account_key(by):
    if getattr(by, "user", None) is not None:
        return f"user:{by.user.pk}"
    return f"token:{by.api_token.pk}"


def _count(kind, **match):
    return ratelimit.hits(IdentitySearchHit, minutes=_window(), kind=kind, **match)


def _limited_scope(account, organisation):
    if _count(Kind.SEARCH, account=account) >= settings.IDENTITY_SEARCHES_PER_ACCOUNT:
        return "compte"
    if _count(Kind.SEARCH, organisation=organisation) >= settings.IDENTITY_SEARCHES_PER_STRUCTURE:
        return "structure"
    return None


def check_identity_search(*, by, territory, mode):
    """Refuse the search (SearchLimited, audited) when the account or its structure is over its
    limit. Call before searching; the refusal stays audited whatever the caller's transaction."""
    account, organisation = account_key(by), by.organisation
    scope = _limited_scope(account, organisation)
    if scope is None:
        return
    with transaction.atomic():
        record_event(
            action="people.search.limited",
            by=by,
            territory=territory,
            data={"mode": mode, "scope": scope},
        )
        _alert_if_needed(by=by, territory=territory, account=account, organisation=organisation)
    raise SearchLimited(LIMITED_MESSAGE.format(scope=SCOPE_LABELS[scope]))


@transaction.atomic
def record_identity_search(*, by, territory, mode, results):
    """Count one search done and audit it (mode and number of results only)."""
    account, organisation = account_key(by), by.organisation
    ratelimit.remember_hit(
        IdentitySearchHit,
        kept_hours=KEPT_HOURS,
        kind=Kind.SEARCH,
        account=account,
        organisation=organisation,
        territory=territory,
    )
    record_event(
        action="people.search.identity",
        by=by,
        territory=territory,
        data={"mode": mode, "results": results},
    )
    _alert_if_needed(by=by, territory=territory, account=account, organisation=organisation)


def _alert_if_needed(*, by, territory, account, organisation):
    """One e-mail per window to the territory's coordinators, per account past the alert
    threshold and per structure past its limit."""
    searches = _count(Kind.SEARCH, account=account)
    if searches >= settings.IDENTITY_SEARCH_ALERT_THRESHOLD and not _count(Kind.ALERT_ACCOUNT, account=account):
        _alert(Kind.ALERT_ACCOUNT, by=by, territory=territory, account=account, count=searches)
    structure_searches = _count(Kind.SEARCH, organisation=organisation)
    if structure_searches >= settings.IDENTITY_SEARCHES_PER_STRUCTURE and not _count(
        Kind.ALERT_STRUCTURE, organisation=organisation
    ):
        _alert(Kind.ALERT_STRUCTURE, by=by, territory=territory, account=account, count=structure_searches)


def _alert(kind, *, by, territory, account, count):
    organisation = by.organisation
    IdentitySearchHit.objects.create(kind=kind, account=account, organisation=organisation, territory=territory)
    coordinators = list(
        Membership.objects.active()
        .filter(role=Role.COORDINATEUR, organisation__territory_id=territory.pk)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    record_event(
        action="people.search.alerted",
        by=by,
        territory=territory,
        data={"scope": "compte" if kind == Kind.ALERT_ACCOUNT else "structure", "searches": count},
    )
    if not coordinators:
        return
    who = by.user.get_full_name() if getattr(by, "user", None) is not None else "Un jeton d'API"
    body = render_to_string(
        "emails/identity_search_alert.txt",
        {
            "who": who,
            "organisation": organisation.name,
            "count": count,
            "minutes": _window(),
            "structure_wide": kind == Kind.ALERT_STRUCTURE,
            "limit": (
                settings.IDENTITY_SEARCHES_PER_STRUCTURE
                if kind == Kind.ALERT_STRUCTURE
                else settings.IDENTITY_SEARCHES_PER_ACCOUNT
            ),
            "site_url": settings.SITE_URL,
        },
    )
    subject = "Plateforme SPIE : recherches d'identité inhabituelles"
    transaction.on_commit(lambda: send_mail(subject, body, None, coordinators))
