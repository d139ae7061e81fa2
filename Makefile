# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
# Dependencies come from the lock files (exact versions with hashes); `make lock` refreshes them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
RUN_STAMP := $(VENV)/.run-stamp
DEV_STAMP := $(VENV)/.dev-stamp
# `make lock` moves every pin to the newest release its range allows; `make lock UPGRADE=`
# only adds what pyproject.toml gained and keeps the other pins.
UPGRADE ?= --upgrade
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet $(UPGRADE) --custom-compile-command "make lock"

.PHONY: install run chat test lint typecheck check eval pytest bench format lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Runtime only: what `make run` needs, no test or lint tools.
$(RUN_STAMP): $(RUN_LOCK) pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r $(RUN_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Runtime plus the dev tools (pytest, ruff, mypy...), at the same runtime versions.
$(DEV_STAMP): $(DEV_LOCK) pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(DEV_STAMP)  ## create .venv and install the bot with its dev tools

run: $(RUN_STAMP)  ## Telegram when TELEGRAM_BOT_TOKEN is set (environment or .env), else the terminal chat
	$(PY) -m bot

chat: $(RUN_STAMP)
	$(PY) -m bot chat

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/ruff format --check bot tests bench

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy

check: $(RUN_STAMP)
	$(PY) -m bot check

eval: $(RUN_STAMP)
	$(PY) -m bot eval

pytest: $(DEV_STAMP)
	$(PY) -m pytest -q

test: lint typecheck check pytest  ## lint, type-check, validate content, run every test (eval floors included)

bench: $(DEV_STAMP)  ## benchmarks; writes docs/benchmarks.md
	$(PY) bench/run.py

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format bot tests bench
	$(VENV)/bin/ruff check --fix bot tests bench

lock: | $(PY)  ## re-resolve requirements*.lock from pyproject.toml (needs PyPI), then run make test
	$(PY) -m pip install --quiet 'uv>=0.9,<1'
	$(UV_COMPILE) -o $(RUN_LOCK)
	$(UV_COMPILE) --extra dev -c $(RUN_LOCK) -o $(DEV_LOCK)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build
