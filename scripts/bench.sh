#!/usr/bin/env bash
# `make bench`: a dedicated PostgreSQL database, the referentials, then every app's measurements.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE="${1:-full}"
BENCH_DB="${BENCH_DB:-spie_bench_${SCALE}}"
ADMIN_URL="${DATABASE_URL_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
export DATABASE_URL="${ADMIN_URL%/*}/${BENCH_DB}"
export DJANGO_SETTINGS_MODULE=config.settings.bench
psql "${ADMIN_URL}" -qc "DROP DATABASE IF EXISTS ${BENCH_DB}" -qc "CREATE DATABASE ${BENCH_DB}"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_referentials
.venv/bin/python manage.py seed_demo --people 0 --allow-production
.venv/bin/python manage.py bench --scale "${SCALE}"
