# Kaoping — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
LOAD_STAMP := $(VENV)/.installed-load
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install install-test messages messages-update migrate demo test lint unit check-deploy test-postgres bench loadtest system-test-deps ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install -q -c requirements/constraints.txt -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q -c requirements/constraints.txt -e ".[test,postgres]"
	@touch $@

$(LOAD_STAMP): $(TEST_STAMP)
	$(BIN)/pip install -q -c requirements/constraints.txt -e ".[test,postgres,load]"
	@touch $@

install: $(STAMP) messages

# Compiled catalogues are built, not committed.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || ($(SUDO) $(APT_GET) update -qq && $(SUDO) $(APT_GET) install -y -qq gettext >/dev/null)
	@cd kaoping && KAOPING_DEBUG=1 ../$(BIN)/python ../manage.py compilemessages -v 0

# After changing user-facing strings: refresh the catalogue, then translate the new entries.
messages-update: $(STAMP)
	cd kaoping && KAOPING_DEBUG=1 ../$(BIN)/python -m django makemessages -l zh_Hans --no-obsolete --settings=kaoping.settings

migrate: install
	KAOPING_DEBUG=1 $(BIN)/python manage.py migrate -v 0

demo: migrate
	KAOPING_DEBUG=1 $(BIN)/kaoping demo

# The demo loads once; later runs only print the accounts again. A demo server does not force
# administrators and organizers to enroll an authenticator app; KAOPING_TWO_FACTOR_REQUIRED=1
# make run shows that step (production requires it by default).
TWO_FACTOR ?= $(or $(KAOPING_TWO_FACTOR_REQUIRED),0)
run: demo
	@[ "$(TWO_FACTOR)" = 0 ] && echo "演示服务器：不强制双因素认证（KAOPING_TWO_FACTOR_REQUIRED=1 make run 可开启）/ two-factor enrollment not forced on this demo server" || true
	KAOPING_DEBUG=1 KAOPING_TWO_FACTOR_REQUIRED=$(TWO_FACTOR) $(BIN)/python manage.py runserver $(HOST):$(PORT)

system-test-deps:
	@bash scripts/system-deps.sh test

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(TEST_STAMP) messages system-test-deps
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy
	$(BIN)/pytest $(PYTEST_ARGS)

# The production profile (no debug, a long random key, HTTPS) passes Django's deployment
# checklist with no warning (docs/security.md).
check-deploy: $(STAMP)
	env -u KAOPING_DEBUG DJANGO_SETTINGS_MODULE=kaoping.settings \
	  KAOPING_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  KAOPING_ALLOWED_HOSTS=kaoping.example.org KAOPING_HTTPS=1 \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

test: lint unit

test-postgres: $(TEST_STAMP) messages system-test-deps
	@bash scripts/system-deps.sh postgres
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	@for script in bench/bench_*.py; do echo "# $$script"; $(BIN)/python $$script || exit 1; done

# 50 raters scoring at once against gunicorn, on SQLite then PostgreSQL (docs/load-test.md).
# LOAD_SECONDS (default 120) shortens it; each database gets its report; fails on any error,
# lost entry or "database is locked". PostgreSQL on a free port: another run may hold 54329.
loadtest: $(LOAD_STAMP) messages
	@bash scripts/system-deps.sh postgres
	@rc=0; \
	$(BIN)/python bench/load/run.py --db sqlite || rc=1; \
	KAOPING_PG_PORT=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
	  bash scripts/with-postgres.sh $(BIN)/python bench/load/run.py --db postgres || rc=1; \
	exit $$rc

ci: test test-postgres

clean:
	rm -rf $(VENV) var
