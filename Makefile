# The two commands a newcomer needs (see README):
#   make demo   set up .venv if needed, ingest the sample corpus into newsint.duckdb and
#               print a summary of what it holds (rerunning adds nothing: ingest is idempotent)
#   make test   set up .venv if needed, run the whole test suite
# Set-up is a dependency of both, so a fresh clone needs nothing installed by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsint needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

DB ?= newsint.duckdb

demo: $(STAMP)
	$(BIN)/newsint ingest examples/corpus --db $(DB) --workers 2
	$(BIN)/newsint summary --db $(DB)
	@echo
	@echo "Open the web UI:  $(BIN)/newsint serve --db $(DB)   then http://127.0.0.1:8000/"

test: $(STAMP)
	scripts/ensure_chromium.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
