"""Indicators at national scale: a territory's full catalogue with its months of entry (Nord:
`compute.compute_with_months`, what its page reads) and the national comparison
(every territory, every cohort and the country: `compute.compare`, what the national page reads),
timed on the computation the pages, the CSV export and the API share."""

import statistics
import time

from django.db.models import Exists, OuterRef
from django.utils import timezone

from spie.people.models import Person
from spie.territories.models import Territory

from . import compute
from .forms import default_period

BENCH_TERRITORY = "59"
TERRITORY_TARGET_S = 1
NATIONAL_TARGET_S = 10
# About ten events (appointments) per person: 10,000,000 for 1,000,000 people at full scale.
APPOINTMENTS_EACH = 10
RUNS = 3


def _seed_people(ctx, territories):
    from spie.people.demo import seed_territory

    nord = next((t for t in territories if t.code == BENCH_TERRITORY), territories[0])
    missing = ctx.sizes["territory_people"] - Person.objects.filter(territory=nord).count()
    if missing > 0:
        ctx.say(f"  {missing} personnes dans {nord.name}…")
        seed_territory(nord, missing, ctx.rng, with_nir=False, ft_offset=70_000_000)
    others = [t for t in territories if t.pk != nord.pk]
    missing = ctx.sizes["national_people"] - Person.objects.count()
    if missing > 0 and others:
        ctx.say(f"  {missing} personnes dans les {len(others)} autres territoires…")
        for index, territory in enumerate(others):
            share = missing // len(others) + (1 if index < missing % len(others) else 0)
            if share:
                seed_territory(territory, share, ctx.rng, with_nir=False, ft_offset=71_000_000 + index * 100_000)
    return nord


def _seed_histories(ctx, territories):
    from spie.diagnostics.demo import seed_people
    from spie.pathways.demo import seed_decisions, seed_pathways
    from spie.pathways.models import Pathway

    ids = [t.pk for t in territories]
    without = Person.objects.filter(territory_id__in=ids).exclude(Exists(Pathway.objects.filter(person=OuterRef("pk"))))
    if not without.exists():
        return
    people = list(without.filter(diagnostics__isnull=True).only("pk", "public_id", "territory_id", "entry_date"))
    if people:
        ctx.say(f"  Diagnostics pour {len(people)} personnes…")
        seed_people(people, ctx.rng)
    seed_decisions(ids, ctx.rng)
    ctx.say("  Parcours et historiques (rendez-vous, points de situation, sorties, suivis dans l'emploi)…")
    ctx.say(f"  {seed_pathways(ids, ctx.rng, appointments_each=APPOINTMENTS_EACH, with_audit=False)}")
    ctx.analyze()


def _timed(function):
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run(ctx):
    from spie.pathways.models import Appointment, Pathway

    territories = list(Territory.objects.order_by("code"))
    if not territories:
        ctx.say("  Aucun territoire : lancez seed_demo avant la mesure.")
        return
    started = time.monotonic()
    nord = _seed_people(ctx, territories)
    _seed_histories(ctx, territories)
    ctx.say(
        f"  Données prêtes en {time.monotonic() - started:.0f} s : {Person.objects.count()} personnes, "
        f"{Pathway.objects.count()} parcours, {Appointment.objects.count()} rendez-vous."
    )
    today = timezone.localdate()
    start, end = default_period(today)
    territory = compute.Filters(today=today, territory_ids=(nord.pk,), period_start=start, period_end=end)
    national = compute.Filters(today=today, period_start=start, period_end=end)

    def territory_catalogue():
        compute.compute_with_months(territory)

    def national_catalogue():
        compute.compare(national)

    ctx.record("indicators_territory_s", _timed(territory_catalogue), "s", TERRITORY_TARGET_S)
    ctx.record("indicators_national_s", _timed(national_catalogue), "s", NATIONAL_TARGET_S)
