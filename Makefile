# Two entry points (see README): `make demo` runs the main job, `make test` the tests.
# Both create the virtual environment on first use; torch is pinned to the CPU wheel.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
OUT ?= build/grades

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,nbgrader]'
	touch $@

SAMPLES ?= build/samples

demo: setup
	$(PY) examples/build_samples.py $(SAMPLES)
	$(BIN)/autograder grade $(SAMPLES) --out $(OUT) --create-secret --regrade

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/grading_throughput.py

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
