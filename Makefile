# The two commands of the README:
#   make example   set up a virtual environment and run `thucydides extract` on examples/news
#   make test      set up the same environment and run lint, type checks and the tests
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup setup-test example test lint format benchmark clean

# The example needs the package alone, installed as a user would (Python's own pip, no extras);
# the tests add the test extras (plots, spark and the test tools) to the same environment.
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $@

setup-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

example: setup
	rm -rf out/example
	$(BIN)/thucydides extract examples/news --db out/example/thucydides.duckdb --out out/example
	@echo "documents: out/example/documents.jsonl  events: out/example/events.jsonl"

lint: setup-test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

format: setup-test
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

test: lint
	$(BIN)/pytest -q

benchmark: setup-test
	$(BIN)/python benchmarks/bench_documents.py

clean:
	rm -rf out build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
