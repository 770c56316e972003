"""Orientation queue and point de situation of a Nord-sized territory: first page, server time p95
and query count."""

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
    territory = run_queue(ctx)
    if territory is not None:
        run_situation(ctx, territory)


def run_queue(ctx):
    territory = Territory.objects.filter(code="59").first() or Territory.objects.order_by("code").first()
    if territory is None:
        ctx.say("  Aucun territoire : lancez seed_demo avant la mesure.")
        return None
    wanted = ctx.sizes["territory_people"]
    present = Person.objects.filter(territory=territory).count()
    if present >= wanted:  # already seeded by an earlier run: measure only
        people = []
    else:
        ctx.say(f"  Création de {wanted - present} personnes dans {territory.name}…")
        # No NIR: random NIRs collide at this size, and neither page looks them up.
        seed_territory(territory, wanted - present, ctx.rng, with_nir=False, ft_offset=90_000_000 + present)
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
        return territory
    waiting = Person.objects.filter(territory=territory, oriented_at__isnull=True).count()
    ctx.say(f"  {waiting} personnes en attente d'orientation sur {Person.objects.filter(territory=territory).count()}")
    client = ctx.client_for(officer.user, officer)
    url = reverse("pathways:queue")
    ctx.record("orientation_queue_p95_ms", ctx.p95_ms(lambda: client.get(url)), "ms", TARGET_MS)
    ctx.record("orientation_queue_queries", ctx.query_count(lambda: client.get(url)), "requêtes", MAX_QUERIES)
    filtered = f"{url}?diagnostic=oui&late=on"
    ctx.record("orientation_queue_filtered_p95_ms", ctx.p95_ms(lambda: client.get(filtered)), "ms", TARGET_MS)
    return territory


# --- Point de situation of a Nord-sized territory ------------------------------------------

SITUATION_TARGET_MS = 200
SITUATION_MAX_QUERIES = 20
PATHWAYS_WANTED = {"full": 100_000, "small": 5_000}
APPOINTMENTS_WANTED = {"full": 2_000_000, "small": 100_000}


def run_situation(ctx, territory):
    import math

    from spie.pathways.demo import seed_pathways
    from spie.pathways.models import Appointment, Pathway

    present = Pathway.objects.filter(territory=territory).count()
    missing = Person.objects.filter(territory=territory).count() - present
    if missing > 0:
        oriented = Person.objects.filter(territory=territory, oriented_at__isnull=False).count()
        each = max(1, math.ceil(APPOINTMENTS_WANTED[ctx.scale] / max(oriented, 1)))
        ctx.say(f"  Parcours et historiques pour {missing} personnes ({each} rendez-vous par parcours orienté)…")
        totals = seed_pathways([territory.pk], ctx.rng, appointments_each=each, with_audit=False)
        ctx.say(f"  {totals}")
        ctx.analyze()
    open_count = Pathway.objects.filter(territory=territory).exclude(stage="clos").count()
    ctx.say(f"  {open_count} parcours ouverts, {Appointment.objects.filter(territory=territory).count()} rendez-vous")
    coordinator = (
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.COORDINATEUR)
        .select_related("user")
        .first()
    )
    if coordinator is None:
        ctx.say("  Aucun·e coordinateur·rice dans ce territoire : mesure impossible.")
        return
    client = ctx.client_for(coordinator.user, coordinator)
    url = reverse("pathways:situation")
    ctx.record("point_de_situation_p95_ms", ctx.p95_ms(lambda: client.get(url)), "ms", SITUATION_TARGET_MS)
    ctx.record(
        "point_de_situation_queries", ctx.query_count(lambda: client.get(url)), "requêtes", SITUATION_MAX_QUERIES
    )
    filtered = f"{url}?alerte=sans_rdv_honore&type_parcours=professionnel"
    ctx.record(
        "point_de_situation_filtered_p95_ms", ctx.p95_ms(lambda: client.get(filtered)), "ms", SITUATION_TARGET_MS
    )
    counsellor = (
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.CONSEILLER, follow_ups__is_referent=True)
        .select_related("user")
        .first()
    )
    if counsellor is not None:
        mine = ctx.client_for(counsellor.user, counsellor)
        ctx.record("point_de_situation_caseload_p95_ms", ctx.p95_ms(lambda: mine.get(url)), "ms", SITUATION_TARGET_MS)
