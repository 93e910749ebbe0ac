# dualstack: `make demo` and `make test` are all a fresh Debian machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench sysdeps clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python scripts/demo.py

sysdeps:
	@bash scripts/sysdeps.sh

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest -q

screenshots: $(STAMP) sysdeps
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/planner.py
	$(BIN)/python bench/zones.py
	$(BIN)/python bench/bulk.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
