"""Orientation queue of a Nord-sized territory: first page, server time p95 and query count."""

from django.urls import reverse

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.diagnostics.demo import seed_people
from spie.people.demo import seed_territory
from spie.people.models import Person
from spie.territories.models import Territory

from .demo import seed_decisions

TARGET_MS = 100
MAX_QUERIES = 15


def run(ctx):
    territory = Territory.objects.filter(code="59").first() or Territory.objects.order_by("code").first()
    if territory is None:
        ctx.say("  Aucun territoire : lancez seed_demo avant la mesure.")
        return
    wanted = ctx.sizes["territory_people"]
    present = Person.objects.filter(territory=territory).count()
    if present < wanted:
        ctx.say(f"  Création de {wanted - present} personnes dans {territory.name}…")
        seed_territory(territory, wanted - present, ctx.rng, ft_offset=90_000_000)
    people = list(
        Person.objects.filter(territory=territory, diagnostics__isnull=True).only(
            "pk", "public_id", "territory_id", "entry_date"
        )
    )
    if people:
        ctx.say(f"  Diagnostics pour {len(people)} personnes…")
        seed_people(people, ctx.rng)
        seed_decisions([territory.pk], ctx.rng)
    officer = (
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.CHARGE_ORIENTATION)
        .select_related("user")
        .first()
    )
    if officer is None:
        ctx.say("  Aucun·e chargé·e d'orientation dans ce territoire : mesure impossible.")
        return
    waiting = Person.objects.filter(territory=territory, oriented_at__isnull=True).count()
    ctx.say(f"  {waiting} personnes en attente d'orientation sur {Person.objects.filter(territory=territory).count()}")
    client = ctx.client_for(officer.user, officer)
    url = reverse("pathways:queue")
    ctx.record("orientation_queue_p95_ms", ctx.p95_ms(lambda: client.get(url)), "ms", TARGET_MS)
    ctx.record("orientation_queue_queries", ctx.query_count(lambda: client.get(url)), "requêtes", MAX_QUERIES)
    filtered = f"{url}?diagnostic=oui&late=on"
    ctx.record("orientation_queue_filtered_p95_ms", ctx.p95_ms(lambda: client.get(filtered)), "ms", TARGET_MS)
