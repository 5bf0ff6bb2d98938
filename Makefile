# journeymap: `make run` starts the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: install run test lint format typecheck bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,web,spark]'
	touch $@

DJANGO := DJANGO_SETTINGS_MODULE=journeymap.web.settings $(BIN)/django-admin
HOST ?= 127.0.0.1:8000

run: install
	$(DJANGO) migrate --noinput
	$(DJANGO) journeymap_demo
	@# the background-task worker (big PDF/PNG exports) runs next to the server and stops with it
	$(DJANGO) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DJANGO) runserver $(HOST)

test: install
	$(BIN)/pytest -q -n 2

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

bench: install
	$(BIN)/python -m benchmarks.run $(if $(SIZE),--size $(SIZE),)

clean:
	rm -rf $(VENV) var build dist .pytest_cache .mypy_cache .ruff_cache
