# Two commands set a new machine up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PO_FILES := $(wildcard academy/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

.PHONY: run test install install-dev translations extract-messages update-messages db-upgrade seed demo clean fonts \
	screenshots browser-deps bench

run: install fonts translations instance/secret_key db-upgrade seed demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@# Jobs: with REDIS_URL set, an RQ worker beside the server (stopped with it); else threads in the server.
	@# The scheduler's tick (reminders, outbox, cleanup) runs in-process every minute.
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a job worker"; \
	  $(FLASK) academy worker & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	fi; \
	SCHEDULER_IN_PROCESS=1 $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev fonts translations browser-deps
	$(BIN)/ruff check academy tests migrations
	$(BIN)/bandit -q -ll -r academy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

# Certificates embed a Chinese TrueType font (Debian's fonts-wqy-zenhei); installed when we may.
fonts:
	@if [ ! -e $(CJK_FONT) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing fonts-wqy-zenhei for certificates"; \
	    (apt-get install -y -qq fonts-wqy-zenhei || (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei)) >/dev/null; \
	  else \
	    echo "note: certificates need a Chinese font: apt-get install fonts-wqy-zenhei (or set CERT_FONT_PATH)"; \
	  fi; \
	fi

# axe-core for the accessibility checks of the browser tests (npm registry), where npm exists.
browser-deps:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -e node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent; \
	else echo "note: npm not found; the accessibility checks will be skipped"; fi

# Every main page at desktop and phone width, for the README and docs.
screenshots: install-dev fonts translations browser-deps
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/e2e/test_accessibility.py -k screenshots -p no:logging

# The benchmark harness: a synthetic district (cached in bench/data), gunicorn, wrk; see docs/performance.md.
# BENCH_SCALE=tiny for a quick run; DATABASE_URL=postgresql+psycopg://… for PostgreSQL.
BENCH_SCALE ?= district
bench: install-dev translations
	$(BIN)/python bench/run.py --scale $(BENCH_SCALE) $(BENCH_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(MO_FILES)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# Maintainers: refresh the catalogue after changing user-facing strings.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* .venv" -o academy/translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update -i academy/translations/messages.pot -d academy/translations --no-fuzzy-matching

instance/secret_key:
	@mkdir -p instance
	@$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	@chmod 600 $@

db-upgrade: install instance/secret_key
	$(FLASK) db upgrade

seed: db-upgrade
	$(FLASK) academy seed

demo: seed
	$(FLASK) academy demo

clean:
	rm -rf $(VENV) academy/translations/*/LC_MESSAGES/*.mo .pytest_cache
