# The two commands a new user needs: `make run` and `make test`.
# Each sets up what it needs first: Debian packages (Xvfb, Mesa, xcb) and a venv.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test bench lint system clean

run: system $(STAMP)
	$(PY) -m explorer

test: system $(STAMP)
	$(PY) -m ruff check explorer tests
	$(PY) -m ruff format --check explorer tests
	$(PY) -m mypy
	$(PY) -m pytest

bench: system $(STAMP)
	$(PY) tests/benchmarks/run.py
	xvfb-run -a -s "-screen 0 1600x1000x24 +extension GLX +render" $(PY) tests/benchmarks/run_ui.py

lint: $(STAMP)
	$(PY) -m ruff check explorer tests
	$(PY) -m ruff format --check explorer tests
	$(PY) -m mypy

system:
	@bash packaging/system-deps.sh

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
