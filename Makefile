# Plateforme SPIE — the two everyday commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/test
SCALE ?= full

.PHONY: run test install lint migrations-check test-sqlite test-postgres test-e2e bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire.")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_referentials
	$(PY) manage.py seed_demo --if-empty
	@echo "Plateforme SPIE : http://127.0.0.1:8000"
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

test: install
	$(PY) scripts/run_tests.py

test-sqlite: install
	$(PY) -m pytest -m "not e2e" -n 2

test-postgres: install
	DATABASE_URL=$(DATABASE_URL_PG) $(PY) -m pytest -m "not e2e" -n 2

test-e2e: install
	$(PY) -m pytest -m e2e -p no:xdist

bench: install
	scripts/bench.sh $(SCALE)
