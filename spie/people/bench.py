"""People at national scale: seeding, the 100,000-row import, the caseload and identity search."""

import io
import time

from django.db.models import Count
from django.urls import reverse

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.csvwriter import csv_writer
from spie.territories.models import Territory

from .demo import build_people, seed_territory
from .imports import apply_import, plan_import
from .models import FollowUpMember, Person

BENCH_TERRITORY = "59"
IMPORT_TERRITORY = "62"


def _seed(ctx):
    sizes = ctx.sizes
    territories = list(Territory.objects.order_by("code"))
    nord = next(t for t in territories if t.code == BENCH_TERRITORY)
    others = [t for t in territories if t.code != BENCH_TERRITORY]
    started = time.monotonic()
    ctx.say(f"  Génération : {sizes['territory_people']} personnes dans le Nord, {sizes['national_people']} au total…")
    seed_territory(nord, sizes["territory_people"], ctx.rng, with_nir=True)
    remaining = sizes["national_people"] - sizes["territory_people"]
    for index, territory in enumerate(others):
        share = remaining // len(others) + (1 if index < remaining % len(others) else 0)
        seed_territory(territory, share, ctx.rng, with_nir=False, ft_offset=0)
    ctx.analyze()
    ctx.say(f"  Génération terminée en {time.monotonic() - started:.0f} s ({Person.objects.count()} personnes).")
    return nord


def _import_csv(ctx, territory):
    referents = list(
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.CONSEILLER)
        .values_list("user__email", flat=True)
    )
    communes = list(territory.communes().exclude(postal_codes="").order_by("-population")[:100])
    people = build_people(territory, ctx.sizes["import_rows"], ctx.rng, communes=communes, ft_offset=5_000_000)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(
        [
            "nom",
            "prenom",
            "date_naissance",
            "sexe",
            "numero_france_travail",
            "email",
            "telephone",
            "adresse",
            "code_postal",
            "commune",
            "date_entree",
            "referent_email",
        ]
    )
    seen = set()
    for person in people:
        identity = (person.search_birth_name, person.search_first_name, person.birth_date)
        if identity in seen:  # a real file has no duplicate: the import would rightly reject it
            continue
        seen.add(identity)
        writer.writerow(
            [
                person.birth_name,
                person.first_names,
                person.birth_date.strftime("%d/%m/%Y"),
                person.sex,
                person.france_travail_id,
                person.email,
                person.phone,
                person.address,
                person.postal_code,
                person.commune.insee_code if person.commune else "",
                person.entry_date.isoformat(),
                ctx.rng.choice(referents) if referents else "",
            ]
        )
    return buffer.getvalue().encode()


def run(ctx):
    nord = _seed(ctx)
    import_territory = Territory.objects.get(code=IMPORT_TERRITORY)
    content = _import_csv(ctx, import_territory)
    started = time.monotonic()
    report = plan_import(content, territory=import_territory)
    for result in report.rejected[:5]:
        ctx.say(f"  Ligne {result.line} rejetée : {'; '.join(result.errors)}")
    counts = apply_import(report, territory=import_territory, by=None)
    elapsed = time.monotonic() - started
    ctx.analyze()
    ctx.say(f"  Import : {counts['created']} créés, {len(report.rejected)} rejetés")
    rows = ctx.sizes["import_rows"]
    ctx.record("people_import_100k_s" if rows == 100_000 else f"people_import_{rows}_rows_s", elapsed, "s", 60)

    busiest = (
        FollowUpMember.objects.filter(territory=nord, is_referent=True, ended_on__isnull=True)
        .values("membership")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    membership = Membership.objects.select_related("user").get(pk=busiest["membership"])
    ctx.say(f"  Portefeuille mesuré : {busiest['n']} personnes")
    client = ctx.client_for(membership.user, membership)
    caseload_url = reverse("people:caseload")
    ctx.record("caseload_page_p95_ms", ctx.p95_ms(lambda: client.get(caseload_url)), "ms", 100)
    small = (
        Membership.objects.filter(organisation__territory=nord, role=Role.GESTIONNAIRE).select_related("user").first()
    )
    small_client = ctx.client_for(small.user, small)
    queries_big, queries_small = (
        ctx.query_count(lambda: client.get(caseload_url)),
        ctx.query_count(lambda: small_client.get(caseload_url)),
    )
    ctx.record("caseload_page_queries", queries_big, "requêtes", queries_small)

    samples = list(Person.objects.filter(territory=nord).order_by("?")[:80])
    search_url = reverse("people:search")
    cursor = iter(samples * 2)

    def search():
        person = next(cursor)
        return client.get(
            search_url,
            {
                "last_name": person.birth_name,
                "first_name": person.first_names,
                "birth_date": person.birth_date.isoformat(),
            },
        )

    ctx.record("identity_search_p95_ms", ctx.p95_ms(search, runs=60, warmup=5), "ms", 100)
    ctx.shared["nord"] = nord
