# backcare: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/test
BIND ?= 127.0.0.1:8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WORKERS ?= 2

.PHONY: install install-dev system-deps chromium run demo-cli test lint types pytest pytest-clock \
	test-postgres bench fuzz lock clean

install: system-deps $(VENV)/.installed-base

# Debian libraries WeasyPrint needs for PDFs (pango, harfbuzz) and a font, when they are missing.
system-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset || { \
	  echo "Installing Debian's pango and fonts for PDF handouts"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 \
	    libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; }

$(VENV)/.installed-base: requirements/base.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install-dev: system-deps $(VENV)/.installed-dev

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed-base

# Serve backcare at http://127.0.0.1:8000 (or BIND=host:port) on the embedded SQLite database, with
# demo data. Once gunicorn has bound its socket it prints the address it really serves.
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py purge_anonymous_checks
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Starting the task worker (booking e-mails and reminders, waitlist offers, webhooks)"
	$(BIN)/python manage.py task_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn backcare.wsgi -c python:backcare.gunicorn_conf --preload --bind $(BIND) \
	  --workers $(WORKERS) --access-logfile -

# The clinical core on the command line, on the example assessments.
demo-cli: install
	@bash scripts/demo.sh

test: install-dev chromium lint types pytest pytest-clock

# The browser for the browser tests, from Debian's packages (Playwright cannot download one here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install-dev
	$(BIN)/mypy backcare/domain backcare/cli.py

# pytest exits 5 when it collected no tests; make treats any non-zero exit as a failure.
pytest: install-dev
	$(BIN)/pytest -q

# The suite again with the clock pinned at the other instants of tests/conftest.py (the first run
# pinned it at 11:00 UTC), so no date can quietly come from the server's clock.
CLOCK_INSTANTS := 2026-12-01T00:30:00Z 2026-12-01T15:30:00Z 2026-12-01T23:30:00Z
pytest-clock: install-dev
	@for at in $(CLOCK_INSTANTS); do \
	  echo "pytest with the clock at $$at"; \
	  BACKCARE_TEST_NOW=$$at $(BIN)/pytest -q -m "not browser" -p no:cacheprovider || exit 1; \
	done

# The database tests again, against PostgreSQL (CI runs this after `make test`).
test-postgres: install-dev
	DATABASE_URL=$(DATABASE_URL_PG) $(BIN)/pytest -q -m db

# Benchmarks (figures in docs/performance.md): bench/all.py runs every part, even after a miss,
# and exits 1 at the end naming each part that missed. The web part fills var/bench/ with 10,000
# patients and 1,000,000 check-ins the first time (about two minutes); wrk comes from Debian.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }
	$(BIN)/python bench/all.py

# The API under schemathesis with many generated cases per operation (well over 1,000 in all), as
# anonymous, a patient token and a staff token, against a live server; `make test` runs a few.
fuzz: install-dev
	LOG_LEVEL=WARNING $(BIN)/python scripts/api_live.py fuzz --examples 40

# Regenerate the pinned, hashed lock files after changing pyproject.toml (needs `pip install uv`).
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -q -o requirements/base.txt
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements/dev.txt
	@# pip 23 (Debian's and this machine's) refuses a hashed pin that names no extra when a
	@# dependency asks for it with one (weasyprint wants fonttools[woff]) and a newer release is
	@# out: it takes the extra for an unpinned requirement. The pin says the extra itself.
	sed -i 's/^fonttools==/fonttools[woff]==/' requirements/base.txt requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
