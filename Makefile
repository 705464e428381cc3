# govproj — the two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= govproj.settings.local

.PHONY: install system-deps run serve setup demo test test-fast e2e lint format messages clean bench fuzz

install: $(STAMP)

system-deps:
	@scripts/system-deps.sh --dev

$(STAMP): pyproject.toml scripts/system-deps.sh
	@scripts/system-deps.sh --dev
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $(STAMP)

setup: install
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_rulepacks
	$(BIN)/python manage.py seed_demo

run: setup
	@echo "govproj on http://$(HOST):$(PORT)/ — demo logins are listed above and in README.md"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: run

test: install
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	DJANGO_SETTINGS_MODULE=govproj.settings.test $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

# Browser journeys (tests/e2e): Debian's /usr/bin/chromium against a live server on DATABASE_URL
# (SQLite in memory when unset). On failure: screenshot and HTML under test-results/e2e/.
e2e: install
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	DJANGO_SETTINGS_MODULE=govproj.settings.test $(BIN)/pytest -q tests/e2e \
		--screenshot only-on-failure --output test-results/e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=govproj.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=govproj.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

# schemathesis against /api/schema/ as department staff and as a reviewer, on a throwaway PostgreSQL
# database behind gunicorn with production settings; a few minutes; fails on any 5xx.
fuzz: install
	scripts/fuzz.sh

# Figures, not tests: the engine per pack, batch evaluation and the lists against bare-Django
# floors under gunicorn + wrk on 100,000 projects (PostgreSQL database govproj_bench, built on
# first use and reused), and the daily deadline scan over 300,000 deadlines (govproj_bench_deadlines).
# `make bench BENCH=http` (or engine, packs, batch, deadlines, reports) runs one section.
bench: install
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache
