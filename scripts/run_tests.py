"""`make test`: lint, missing migrations, the suite on SQLite (today, then three years ahead),
on PostgreSQL, then in Chromium.

Tests run in a random order whose seed is printed (replay one with `--randomly-seed=N`).
A step whose prerequisite is absent (no PostgreSQL reachable, no Chromium) is skipped and
reported; with CI=true a skipped step is a failure.
"""

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_URL = os.environ.get("DATABASE_URL_PG", "postgres://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def postgres_reachable():
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


def run(label, command, env=None):
    print(f"\n=== {label} ===", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})})
    print(f"--- {label} : {'OK' if result.returncode == 0 else 'ÉCHEC'} en {time.monotonic() - started:.0f} s")
    return result.returncode == 0


def shuffled():
    """pytest arguments for a random test order, printing the seed that replays it."""
    seed = random.randrange(10**9)
    print(f"Ordre aléatoire : --randomly-seed={seed}", flush=True)
    return [f"--randomly-seed={seed}"]


def main():
    pytest = [sys.executable, "-m", "pytest"]
    test_settings = {"DJANGO_SETTINGS_MODULE": "config.settings.test"}
    steps = [
        (
            "Lint (ruff)",
            lambda: (
                run("ruff check", [str(VENV_BIN / "ruff"), "check", "."])
                and run("ruff format", [str(VENV_BIN / "ruff"), "format", "--check", "."])
            ),
        ),
        (
            "Migrations",
            lambda: run(
                "makemigrations --check",
                [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                test_settings,
            ),
        ),
        (
            "SQLite",
            lambda: run(
                "Suite sur SQLite",
                [*pytest, "-m", "not e2e", "-n", "2", "-q", *shuffled()],
                {"DATABASE_URL": "sqlite:///:memory:"},
            ),
        ),
        (
            "SQLite dans trois ans",
            lambda: run(
                "Suite sur SQLite, horloge avancée de trois ans",
                [*pytest, "-m", "not e2e", "-n", "2", "-q", "--years-ahead", "3", *shuffled()],
                {"DATABASE_URL": "sqlite:///:memory:"},
            ),
        ),
    ]
    skipped = []
    has_postgres = postgres_reachable()
    # The live server serves requests from several threads: each gets its own PostgreSQL connection,
    # whereas an in-memory SQLite database is one connection shared across threads.
    e2e_database = PG_URL if has_postgres else "sqlite:///:memory:"
    if has_postgres:
        steps.append(
            (
                "PostgreSQL",
                lambda: run(
                    "Suite sur PostgreSQL",
                    [*pytest, "-m", "not e2e", "-n", "2", "-q", *shuffled()],
                    {"DATABASE_URL": PG_URL},
                ),
            )
        )
    else:
        skipped.append(f"PostgreSQL (injoignable à {PG_URL})")
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        steps.append(
            (
                "Chromium",
                lambda: run(
                    "Parcours de bout en bout (Chromium)",
                    [*pytest, "-m", "e2e", "-p", "no:xdist", "-q"],
                    {"DATABASE_URL": e2e_database, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"},
                ),
            )
        )
    else:
        skipped.append(f"parcours de bout en bout (Chromium absent : {CHROMIUM})")

    failed = [label for label, step in steps if not step()]
    print()
    for item in skipped:
        print(f"IGNORÉ : {item}")
    if failed:
        print(f"ÉCHEC : {', '.join(failed)}")
        return 1
    if skipped and os.environ.get("CI") == "true":
        print("ÉCHEC : en CI (CI=true), aucune étape ne peut être ignorée.")
        return 1
    print("Toutes les étapes sont passées.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
