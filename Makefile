# Every target bootstraps .venv when it is missing or pyproject.toml has changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test conformance bench lint format screenshot clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/metro-tui $(ARGS)

test: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The local backend against the published Metronome and Stripe documents (also part of `test`).
conformance: $(STAMP)
	$(BIN)/python -m pytest -n 2 tests/api/test_metronome_conformance.py \
		tests/api/test_stripe_fidelity.py tests/api/test_reference_documents.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

# The README's picture of the Overview in Chromium, taken by the browser test.
screenshot: $(STAMP)
	METRO_TUI_SCREENSHOT=docs/browser-overview.png $(BIN)/python -m pytest tests/browser/test_in_chromium.py

lint: $(STAMP)
	$(BIN)/ruff check metro_tui tests benchmarks
	$(BIN)/ruff format --check metro_tui tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

format: $(STAMP)
	$(BIN)/ruff check --fix metro_tui tests benchmarks
	$(BIN)/ruff format metro_tui tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
