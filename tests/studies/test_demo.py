import datetime

import pytest

from spie.core.demo import DemoContext
from spie.studies import demo
from spie.studies.enums import EvaluationStatus
from spie.studies.models import ParticipatoryEvaluation, Study


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC), tick=False)


def test_the_demo_publishes_last_years_evaluation_of_each_territory(nord, ardennes, coordinator, admin_national):
    summary = demo.seed(DemoContext(options={"territories": ""}))
    assert summary == "2 évaluations participatives 2025 publiées, 1 étude d'impact"
    evaluations = ParticipatoryEvaluation.objects.order_by("territory__code")
    assert [(e.territory.code, e.year, e.status) for e in evaluations] == [
        ("08", 2025, EvaluationStatus.PUBLISHED),
        ("59", 2025, EvaluationStatus.PUBLISHED),
    ]
    assert evaluations[1].published_by == coordinator.memberships.get()
    assert all(e.structures_said and e.mirror_group_said and e.what_changed for e in evaluations)
    assert Study.objects.get().created_by == admin_national.memberships.get()
    # Run again: nothing is duplicated.
    assert demo.seed(DemoContext(options={"territories": "59"})).startswith("0 évaluations")
    assert ParticipatoryEvaluation.objects.count() == 2 and Study.objects.count() == 1


def test_the_bench_measures_the_extract(camille, conseiller, capsys):
    import sys

    from spie.core.benchmarks import BenchContext
    from spie.pathways import services
    from spie.studies import bench
    from spie.studies.models import StudyExport
    from tests.diagnostics.helpers import actor

    services.open_pathway(person=camille, by=actor(conseiller))
    ctx = BenchContext(scale="small", stdout=sys.stdout)
    bench.run(ctx)
    [figure] = ctx.figures
    assert figure.name == "study_extract_rows_per_second" and figure.value > 0
    assert "Extraction de 1 parcours" in capsys.readouterr().out
    assert not Study.objects.exists() and not StudyExport.objects.exists()


def test_the_bench_says_when_there_is_nothing_to_measure(nord, capsys):
    import sys

    from spie.core.benchmarks import BenchContext
    from spie.studies import bench

    ctx = BenchContext(scale="small", stdout=sys.stdout)
    bench.run(ctx)
    assert ctx.figures == [] and "mesure ignorée" in capsys.readouterr().out
