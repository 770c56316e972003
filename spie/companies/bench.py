"""Matching a person against the companies of a Nord-sized territory (20,000 companies)."""

import datetime
import time

from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.text import normalize_for_search
from spie.diagnostics.enums import DiagnosticStatus
from spie.diagnostics.models import Diagnostic
from spie.people.models import FollowUpMember, Person
from spie.referentials.models import ReferentialVersion
from spie.territories.models import Territory

from .demo import Referential, build_companies, seed_shortages, territory_communes
from .matching import companies_for_person
from .models import Company, ShortageOccupation

BENCH_TERRITORY = "59"
COMPANIES = {"full": 20_000, "small": 2_000}
TARGET_MS = 100
PAGE_TARGET_MS = 200


def _person(territory, membership, commune):
    person = Person(
        territory=territory,
        birth_name="Bench",
        first_names="Matching",
        birth_date=datetime.date(1990, 1, 1),
        entry_date=timezone.localdate(),
        commune=commune,
        consent_given=True,
    )
    person.search_birth_name, person.search_first_name = "bench", normalize_for_search("Matching")
    person.save()
    FollowUpMember.objects.create(person=person, territory=territory, membership=membership, is_referent=True)
    Diagnostic.objects.create(
        person=person,
        territory=territory,
        number=1,
        referential_version=ReferentialVersion.objects.order_by("-is_current", "-published_on").first(),
        status=DiagnosticStatus.VALIDATED,
        target_rome_codes=["J1501", "G1602", "N1103"],
        mobility_radius_km=30,
        validated_at=timezone.now(),
    )
    return person


def run(ctx):
    territory = Territory.objects.filter(code=BENCH_TERRITORY).first()
    referential = Referential()
    membership = (
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.CONSEILLER)
        .select_related("user", "organisation")
        .first()
    )
    if territory is None or not referential.ready or membership is None:
        ctx.say("  Entreprises : territoire 59, référentiels ou conseiller absents, mesure ignorée.")
        return
    count = COMPANIES[ctx.scale]
    communes = territory_communes(territory, limit=650)
    existing = Company.objects.filter(territory=territory).count()
    started = time.monotonic()
    if existing < count:
        ctx.say(f"  Génération : {count - existing} entreprises dans le Nord…")
        for offset in range(existing, count, 5000):
            build_companies(
                territory,
                min(5000, count - offset),
                ctx.rng,
                referential=referential,
                communes=communes,
                siret_offset=500_000 + offset,
            )
    if not ShortageOccupation.objects.filter(territory=territory).exists():
        seed_shortages(territory, referential, timezone.localdate())
    ctx.analyze()
    total = Company.objects.filter(territory=territory).count()
    ctx.say(f"  {total} entreprises prêtes en {time.monotonic() - started:.0f} s.")
    lille = next((c for c in communes if c.insee_code == "59350"), communes[0])
    person = _person(territory, membership, lille)
    result = companies_for_person(person)
    ctx.say(
        f"  Correspondances : {result.total} entreprises dans {result.radius_km} km, {len(result.matches)} affichées."
    )
    # The matching itself (project, radius, ranking of every company in reach, top 50 with jobs).
    ctx.record(
        "company_matching_p95_ms", ctx.p95_ms(lambda: _FakeResponse(companies_for_person(person))), "ms", TARGET_MS
    )
    # The whole page of the person's file that shows it (session, file header, access log…).
    client = ctx.client_for(membership.user, membership)
    url = reverse("companies:person_companies", args=[person.public_id])
    ctx.record("company_matching_page_p95_ms", ctx.p95_ms(lambda: client.get(url)), "ms", PAGE_TARGET_MS)
    ctx.record("company_matching_page_queries", ctx.query_count(lambda: client.get(url)), "requêtes", 20)


class _FakeResponse:
    """p95_ms checks a status code: the function call is wrapped as a successful response."""

    status_code = 200

    def __init__(self, result):
        self.result = result
