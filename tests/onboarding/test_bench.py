"""The onboarding bench runs (small sizes here) and leaves nothing behind."""

import io
import random

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spie.accounts.models import Invitation, Organisation
from spie.core.benchmarks import BenchContext
from spie.onboarding import bench


def test_bench_records_its_figure_and_rolls_back(nord, monkeypatch):
    monkeypatch.setattr(bench, "STRUCTURES", 20)
    monkeypatch.setattr(bench, "PROFESSIONALS", 100)
    context = BenchContext(scale="small", stdout=io.StringIO())
    bench.run(context)
    (figure,) = context.figures
    assert figure.name == "onboarding_import_5000_s"
    assert figure.target == 30
    assert "20 structures, 100 invitations en file d'envoi" in context.stdout.getvalue()
    assert not Organisation.objects.filter(name__startswith="Structure d'essai").exists()
    assert mail.outbox == []


def test_the_import_is_set_based(nord, monkeypatch):
    def queries(structures, professionals, prefix):
        monkeypatch.setattr(bench, "STRUCTURES", structures)
        monkeypatch.setattr(bench, "PROFESSIONALS", professionals)
        files = bench.files(random.Random(1), prefix=prefix)
        with CaptureQueriesContext(connection) as captured:
            bench.import_territory(nord, *files)
        return len(captured)

    queries(2, 4, "71")  # warm-up
    # Sizes that fit in one insert batch even with SQLite's limit on query parameters.
    assert queries(5, 10, "72") == queries(20, 40, "73")
    assert Invitation.objects.filter(email__endswith="bench-73.example").count() == 40
