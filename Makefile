# Tickless — the front door. `make run` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8050
export HOST PORT

.PHONY: help run serve test lint unit js events integration setup browser clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(VENV)/.installed $(VENV)/.livechart vendor/node_modules/.package-lock.json  ## create .venv with the pinned packages, build the LiveChart component, vendor plotly.js's strict build

# plotly.js's strict build (no eval: the page's Content-Security-Policy refuses it), served by app/security.py in
# place of the default build; npm ci from the committed lock vendor/package-lock.json
vendor/node_modules/.package-lock.json: vendor/package-lock.json vendor/package.json
	cd vendor && npm ci --no-audit --no-fund --loglevel=error

# LiveChart component (livechart/): npm ci from the committed lock, esbuild bundle, dash-generate-components for the
# Python class, then an editable install so any app in .venv can `from tickless_livechart import LiveChart`.
# The bundle and the generated files are build outputs (gitignored); rebuilt when a source or the lock changes.
LC := livechart
LC_SOURCES := $(LC)/package.json $(LC)/build.mjs $(LC)/pyproject.toml $(LC)/requirements-build.txt \
	$(LC)/tickless_livechart/__init__.py $(shell find $(LC)/src -name '*.js' 2>/dev/null) \
	assets/js/10_codec.js assets/js/20_clock.js assets/js/35_decimate.js
LC_OUTPUTS := $(LC)/tickless_livechart/tickless_livechart.min.js $(LC)/tickless_livechart/LiveChart.py

$(LC)/node_modules/.package-lock.json: $(LC)/package-lock.json $(LC)/package.json
	cd $(LC) && npm ci --no-audit --no-fund --loglevel=error

$(VENV)/.livechart: $(VENV)/.installed $(LC)/node_modules/.package-lock.json $(LC_SOURCES) $(if $(wildcard $(LC_OUTPUTS)),,lc-missing)
	$(PIP) install --quiet --disable-pip-version-check -r $(LC)/requirements-build.txt
	cd $(LC) && node build.mjs
	cd $(LC) && ../$(VENV)/bin/dash-generate-components ./src/lib/components tickless_livechart -p package-info.json
	$(PIP) install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e $(LC)
	touch $@

.PHONY: livechart lc-missing
lc-missing:
livechart: $(VENV)/.livechart  ## build the LiveChart component (npm ci + esbuild + dash-generate-components) when changed

browser:  ## install Debian's Chromium and ChromeDriver when missing (needs root)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "browser: $$(chromium --version 2>/dev/null | head -1)"; \
	else \
		echo "browser: installing chromium and chromium-driver with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

run: setup  ## serve the live dashboard at http://$(HOST):$(PORT) and the push server on PORT+1 (DEBUG=true for Dash dev tools; DATA=file for your own data)
	$(PY) -m app $(if $(DATA),--data '$(DATA)')

serve: setup  ## serve with gunicorn, as in production (WORKERS=2)
	$(if $(DATA),TICKLESS_DATA='$(DATA)') $(VENV)/bin/gunicorn --workers $${WORKERS:-2} --bind $(HOST):$(PORT) app.wsgi:server

.PHONY: serve-push
serve-push: setup  ## the push server (server-push: FastAPI backend, websocket callbacks) under uvicorn on PUSH_PORT (default PORT+1)
	$(VENV)/bin/uvicorn app.push_server:server --host $(HOST) --port $${PUSH_PORT:-$$(($(PORT) + 1))}

lint: setup  ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

unit: setup  ## pytest unit tests
	$(PY) -m pytest -q tests/unit

js:  ## JavaScript unit tests (node --test)
	node --test tests/js/

events: setup  ## re-extract the plotly_* event list from the installed plotly.js bundle
	$(PY) -m app.events extract

.PHONY: screenshots
screenshots: setup browser  ## a PNG of every page for the README, in headless Chromium (docs/screenshots/)
	$(PY) -m docs.screenshots

integration: setup browser  ## browser tests: dash_duo in headless Chromium
	DASH_TEST_CHROMEPATH=/usr/bin/chromium $(PY) -m pytest -q tests/integration --headless

test: lint unit js integration loadtest-smoke bench-smoke  ## everything CI runs: lint, unit, JS, browser, load and bench smoke tests

.PHONY: setup-load loadtest loadtest-smoke report
LOAD_VENV := .venv-load

$(LOAD_VENV)/.installed: requirements-load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

setup-load: $(LOAD_VENV)/.installed  ## create .venv-load with locust (it cannot share .venv with dash[testing])

loadtest: setup setup-load browser  ## load benchmark, then the report (QUICK=1 short run; TARGET=http://127.0.0.1:PORT any Dash app)
	$(PY) -m loadtest.run $(if $(QUICK),--quick) $(if $(TARGET),--target $(TARGET)) $(LOADTEST_ARGS)
	$(PY) -m benchmarks.report --kind $(if $(TARGET),anydash,tickless)

loadtest-smoke: setup setup-load browser  ## a few seconds of every locust user class + payload checks (part of make test)
	DASH_TEST_CHROMEPATH=/usr/bin/chromium $(PY) -m pytest -q tests/load --headless

report: setup browser  ## HTML + PNG reports from the newest results in benchmarks/results/ (Tickless's; any other app's apart)
	$(PY) -m benchmarks.report

.PHONY: bench bench-smoke bench-bridge bench-push
bench: setup browser  ## browser benchmark of every strategy + ceilings, then its summary and PNGs (QUICK=1 about two minutes; BENCH_ARGS=...)
	$(PY) -m benchmarks.bench $(if $(QUICK),--quick) $(BENCH_ARGS)
	$(PY) -m benchmarks.bench_report

bench-bridge: setup  ## server CPU of one bridge call as a ratio to a no-op Dash callback, same run (QUICK=1 about 20 s)
	$(PY) -m benchmarks.bench_bridge $(if $(QUICK),--quick) $(BRIDGE_ARGS)

bench-push: setup setup-load browser  ## server-push beside server-extend and clientside-raf in one run: browser fps/latency, then tabs held by each (steps + bisection to 10%), CPU per tab, ratios
	$(PY) -m benchmarks.bench_push $(PUSH_ARGS)

bench-smoke: setup browser  ## the browser benchmark on a tiny matrix: complete, valid JSON (not timed)
	$(PY) -m pytest -q tests/bench

.PHONY: soak
soak: setup setup-load browser  ## every strategy for 10 min under locust load with scripted faults, then the report (QUICK=1 about a minute)
	$(PY) -m benchmarks.soak $(if $(QUICK),--quick) $(SOAK_ARGS)
	$(PY) -m benchmarks.report --kind tickless

clean:  ## remove virtualenvs and caches
	rm -rf $(VENV) $(LOAD_VENV) .pytest_cache .ruff_cache $(LC)/node_modules
