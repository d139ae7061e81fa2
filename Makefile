# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run chat test lint typecheck check eval pytest bench format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the bot with its dev tools

run: $(STAMP)  ## Telegram when TELEGRAM_BOT_TOKEN is set (environment or .env), else the terminal chat
	$(PY) -m bot

chat: $(STAMP)
	$(PY) -m bot chat

lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/ruff format --check bot tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

check: $(STAMP)
	$(PY) -m bot check

eval: $(STAMP)
	$(PY) -m bot eval

pytest: $(STAMP)
	$(PY) -m pytest -q

test: lint typecheck check pytest  ## lint, type-check, validate content, run every test (eval floors included)

bench: $(STAMP)  ## benchmarks; writes docs/benchmarks.md
	$(PY) bench/run.py

format: $(STAMP)
	$(VENV)/bin/ruff format bot tests bench
	$(VENV)/bin/ruff check --fix bot tests bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
