# Two entry points for a fresh clone: `make demo` and `make test`.
# Both create .venv and install the pinned dependencies (requirements.lock) first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo serve test install bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/rasd demo

# Web UI and REST API over the database `make demo` built (http://127.0.0.1:8000/).
serve: $(STAMP)
	$(VENV)/bin/rasd serve --db rasd-demo.db

# scripts/install-browser.sh installs chromium, chromium-driver and an Arabic font for
# the browser test (tests/e2e) when missing; scripts/install-postgres.sh installs Debian's
# postgresql for the PostgreSQL variants (the tests start and stop a throwaway cluster
# themselves, see tests/pg_cluster.py). Both only warn when apt is unavailable.
test: $(STAMP)
	sh scripts/install-browser.sh
	sh scripts/install-postgres.sh
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/ingest.py

clean:
	rm -rf $(VENV) build *.egg-info rasd-demo.db*
