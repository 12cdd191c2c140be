# Tickless — the front door. `make run` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8050
export HOST PORT

.PHONY: help run serve test lint unit js integration setup browser clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(VENV)/.installed  ## create .venv with the pinned packages

browser:  ## install Debian's Chromium and ChromeDriver when missing (needs root)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "browser: $$(chromium --version 2>/dev/null | head -1)"; \
	else \
		echo "browser: installing chromium and chromium-driver with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

run: setup  ## serve the live dashboard at http://$(HOST):$(PORT) (DEBUG=true for Dash dev tools)
	$(PY) -m app

serve: setup  ## serve with gunicorn, as in production (WORKERS=2)
	$(VENV)/bin/gunicorn --workers $${WORKERS:-2} --bind $(HOST):$(PORT) app.wsgi:server

lint: setup  ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

unit: setup  ## pytest unit tests
	$(PY) -m pytest -q tests/unit

js:  ## JavaScript unit tests (node --test)
	node --test tests/js/

integration: setup browser  ## browser tests: dash_duo in headless Chromium
	DASH_TEST_CHROMEPATH=/usr/bin/chromium $(PY) -m pytest -q tests/integration --headless

test: lint unit js integration  ## everything CI runs: lint, unit, JS and browser tests

clean:  ## remove virtualenvs and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
