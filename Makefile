# Every target bootstraps .venv when it is missing or pyproject.toml has changed. Running the app
# needs only the runtime dependencies; the test, lint and benchmark targets add the dev tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test conformance bench lint format screenshot clean

$(BIN)/python:
	@echo "Creating the virtual environment in $(VENV)/"
	@$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing metro-tui and what it needs to run into $(VENV)/ (the first time takes a minute)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing metro-tui with its test and lint tools into $(VENV)/"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/metro-tui $(ARGS)

# worksteal: a worker that runs out of tests takes some of the other's, so neither idles at the end.
test: $(DEV_STAMP)
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

# The local backend against the published Metronome and Stripe documents (also part of `test`).
conformance: $(DEV_STAMP)
	$(BIN)/python -m pytest -n 2 tests/api/test_metronome_conformance.py \
		tests/api/test_stripe_fidelity.py tests/api/test_reference_documents.py $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

# The README's picture of the Overview in Chromium, taken by the browser test.
screenshot: $(DEV_STAMP)
	METRO_TUI_SCREENSHOT=docs/browser-overview.png $(BIN)/python -m pytest tests/browser/test_in_chromium.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check metro_tui tests benchmarks
	$(BIN)/ruff format --check metro_tui tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix metro_tui tests benchmarks
	$(BIN)/ruff format metro_tui tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
