"""seed_demo adds companies, shortage lists, immersions at every status and trainings; the bench runs."""

import pytest

from spie.companies.enums import ImmersionStatus
from spie.companies.models import Company, CompanyJob, Immersion, ShortageOccupation, Training, TrainingPositioning
from tests.companies.factories import commune

pytestmark = pytest.mark.django_db


def _seed(people):
    """The seeders seed_demo runs before ours, then ours (the others need referentials we do not load)."""
    from spie.accounts import demo as accounts_demo
    from spie.companies import demo
    from spie.core.demo import DemoContext
    from spie.people import demo as people_demo

    context = DemoContext(options={"territories": "59", "people": people})
    accounts_demo.seed(context)
    people_demo.seed(context)
    return demo.seed(context)


def test_seed_demo_builds_companies_in_real_communes_with_immersions_at_every_status(nord, jobs):
    for key in ("lille", "roubaix", "valenciennes"):
        commune(key)
    assert "30 entreprises, 16 immersions" in _seed(40)
    companies = Company.objects.filter(territory=nord)
    assert companies.count() == 30
    assert not companies.filter(naf__isnull=True).exists() and not companies.filter(geo_lat__isnull=True).exists()
    assert CompanyJob.objects.filter(company__territory=nord, is_open=True).exists()
    assert set(Immersion.objects.filter(territory=nord).values_list("status", flat=True)) == set(ImmersionStatus.values)
    assert set(ShortageOccupation.objects.filter(territory=nord).values_list("rome_job__code", flat=True)) == {
        "J1501",
        "G1602",
    }  # the shortage jobs known to this small referential
    assert Training.objects.filter(territory=nord).exists() and TrainingPositioning.objects.exists()


def test_seed_demo_without_the_rome_referential_creates_no_company(nord):
    assert "référentiels ROME et NAF absents" in _seed(5)
    assert not Company.objects.exists()


def test_the_bench_measures_the_matching(nord, jobs, conseiller, settings):
    import sys

    from spie.companies import bench
    from spie.core.benchmarks import BenchContext
    from spie.referentials.models import ReferentialVersion

    settings.ALLOWED_HOSTS = ["testserver"]
    for key in ("lille", "roubaix"):
        commune(key)
    ReferentialVersion.objects.create(code="v1", label="Référentiel", published_on="2026-01-01", is_current=True)
    bench.COMPANIES["small"] = 60
    ctx = BenchContext(scale="small", stdout=sys.stdout)
    bench.run(ctx)
    names = {figure.name for figure in ctx.figures}
    assert names == {"company_matching_p95_ms", "company_matching_page_p95_ms", "company_matching_page_queries"}
    assert Company.objects.filter(territory=nord).count() == 60
