"""The frame of `manage.py bench`: each app may have a `bench.py` with `run(context)`.

Figures are written to `bench-results.json` at the repository root as a list of
`{"name", "value", "unit", "target", "ok"}` with stable names.
"""

import json
import random
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

RESULTS_FILE = Path(settings.BASE_DIR) / "bench-results.json"

# People per territory and nationally, by scale.
SCALES = {
    "full": {"territory_people": 100_000, "national_people": 1_000_000, "import_rows": 100_000},
    "small": {"territory_people": 5_000, "national_people": 20_000, "import_rows": 5_000},
}


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float
    ok: bool


@dataclass
class BenchContext:
    scale: str
    stdout: object
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    figures: list = field(default_factory=list)
    shared: dict = field(default_factory=dict)

    sizes: dict = field(default_factory=dict)

    def __post_init__(self):
        self.sizes = {**SCALES[self.scale], **self.sizes}

    def say(self, message):
        self.stdout.write(message)
        self.stdout.flush()

    def record(self, name, value, unit, target, lower_is_better=True):
        ok = value <= target if lower_is_better else value >= target
        figure = Figure(name=name, value=round(value, 2), unit=unit, target=target, ok=ok)
        self.figures.append(figure)
        self.say(f"  {name} = {figure.value} {unit} (cible : {target} {unit}) {'OK' if ok else 'HORS CIBLE'}")
        return figure

    def client_for(self, user, membership=None):
        client = Client()
        client.force_login(user)
        if membership is not None:
            session = client.session
            session["current_membership"] = str(membership.public_id)
            session.save()
        return client

    def p95_ms(self, request, runs=60, warmup=5):
        """Server time of `request()` (a test-client call), p95 over `runs`, in milliseconds."""
        for _ in range(warmup):
            response = request()
            assert response.status_code == 200, response.status_code
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            request()
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.quantiles(timings, n=20)[-1]

    def query_count(self, request):
        """How many SQL queries `request()` runs (counted at the database wrapper)."""
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            request()
        return count

    def analyze(self):
        """Refresh the planner's statistics after a bulk load, as autovacuum would in production."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def write(self):
        existing = []
        if RESULTS_FILE.exists():
            names = {figure.name for figure in self.figures}
            existing = [row for row in json.loads(RESULTS_FILE.read_text()) if row["name"] not in names]
        rows = existing + [asdict(figure) for figure in self.figures]
        RESULTS_FILE.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
