# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The app needs only its runtime dependencies; the tests add their own.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install chromium check-wheel

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

install: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/flask --app app serve

test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's production install, proved: the wheel in a fresh virtualenv
# serves every page from another folder (needs PyPI for the dependencies).
check-wheel: | $(VENV)/bin/python
	$(BIN)/python tools/check_wheel.py

# The browser test drives Debian's Chromium (never a downloaded browser).
# Installed here when possible (root with apt-get); otherwise that test skips
# (or fails, under CI=true as .ci/run sets).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
	      || echo "Could not install Chromium; the browser test will skip."; \
	  else \
	    echo "Chromium is missing and cannot be installed here (needs root and apt-get); the browser test will skip."; \
	  fi; \
	fi
