# dualstack: `make demo` and `make test` are all a fresh Debian machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench sysdeps clean screenshots asan

# pip install -e builds the C kernels (setup.py) in place, next to their sources; a change to
# one of them reinstalls, which rebuilds it.
$(STAMP): pyproject.toml setup.py $(wildcard src/dualstack/bulk/*.c src/dualstack/bulk/*.h)
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

# The fuzz tests (-m fuzz) once more against a debug build of the C kernels with
# AddressSanitizer (scripts/asan.sh; .ci/run runs it).
asan: $(STAMP)
	PYTHON=$(BIN)/python bash scripts/asan.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
