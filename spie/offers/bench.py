"""The offer at national scale: import of 150,000 data·inclusion services, then the search
« commune + 50 km + thématique » (API and page), on PostgreSQL."""

import json
import time

from django.urls import reverse

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.territories.models import Commune

from .generator import Generator, commune_rows
from .imports import apply_import, plan_import, refresh_statistics

SERVICES = {"full": 150_000, "small": 15_000}
SEARCH_COMMUNE = "59350"  # Lille: the densest part of the generated directory
SEARCH_THEMATIQUE = "mobilite"


def _import(ctx, count):
    communes = commune_rows(Commune.objects.all())
    ctx.say(f"  Génération de {count} services data·inclusion dans {len(communes)} communes réelles…")
    records = Generator(ctx.rng, communes, source="bench").records(count)
    content = json.dumps(records).encode()
    ctx.say(f"  Fichier : {len(records['structures'])} structures, {count} services, {len(content) // 1_000_000} Mo")
    started = time.monotonic()
    plan = plan_import(content)
    counts = apply_import(plan, skip_invalid=True)
    refresh_statistics()
    elapsed = time.monotonic() - started
    ctx.say(f"  Import : {counts['services_created']} services créés, {counts['rejected']} rejetés")
    return elapsed


def run(ctx):
    count = SERVICES[ctx.scale]
    elapsed = _import(ctx, count)
    name = "offers_import_150k_s" if ctx.scale == "full" else "offers_import_15k_s"
    ctx.record(name, elapsed, "s", 120 if ctx.scale == "full" else 12)
    if hasattr(ctx, "analyze"):
        ctx.analyze()
    membership = (
        Membership.objects.active()
        .filter(organisation__territory__code="59", role=Role.GESTIONNAIRE)
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        ctx.say("  Pas de gestionnaire dans le Nord : lancez seed_demo avant la mesure de la recherche.")
        return
    token = account_services.create_api_token(
        organisation=membership.organisation, name="bench", by=Actor(user=membership.user, membership=membership)
    )[1]
    from django.test import Client

    api = Client(headers={"Authorization": f"Bearer {token}"})
    params = {"code_commune": SEARCH_COMMUNE, "rayon_km": 50, "thematiques": SEARCH_THEMATIQUE}
    response = api.get("/api/v1/offers", params)
    ctx.say(f"  Recherche : {response.json()['count']} services à moins de 50 km de Lille (mobilité)")
    ctx.record("offer_search_p95_ms", ctx.p95_ms(lambda: api.get("/api/v1/offers", params)), "ms", 100)
    page = ctx.client_for(membership.user, membership)
    page_params = {"commune": SEARCH_COMMUNE, "rayon_km": 50, "thematique": SEARCH_THEMATIQUE}
    url = reverse("offers:search")
    ctx.record("offer_search_page_p95_ms", ctx.p95_ms(lambda: page.get(url, page_params)), "ms", 200)
    ctx.record("offer_search_queries", ctx.query_count(lambda: page.get(url, page_params)), "requêtes", 15)
