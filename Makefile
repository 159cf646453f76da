# The two commands a new user needs: `make run` and `make test`.
# Each sets up what it needs first: Debian packages (Xvfb, Mesa, xcb) and a venv.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test bench lint mutants package system clean

run: system $(STAMP)
	$(PY) -m explorer

test: system $(STAMP)
	$(PY) -m ruff check explorer tests packaging
	$(PY) -m ruff format --check explorer tests packaging
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# Every table is printed; the target fails when any missed a target.
bench: system $(STAMP)
	$(PY) tests/benchmarks/run.py; engine=$$?; \
	$(PY) tests/benchmarks/run_descent.py; descent=$$?; \
	xvfb-run -a -s "-screen 0 1600x1000x24 +extension GLX +render" $(PY) tests/benchmarks/run_ui.py; \
	ui=$$?; \
	xvfb-run -a -s "-screen 0 1600x1000x24 +extension GLX +render" $(PY) tests/benchmarks/run_descent_ui.py; \
	panel=$$?; \
	xvfb-run -a -s "-screen 0 1600x1000x24 +extension GLX +render" $(PY) tests/benchmarks/run_package.py; \
	pkg=$$?; test $$engine -eq 0 -a $$descent -eq 0 -a $$ui -eq 0 -a $$panel -eq 0 -a $$pkg -eq 0

# dist/calculus-explorer_<version>_<arch>.deb (cached on its inputs; see packaging/)
package: system $(STAMP)
	$(PY) packaging/build_deb.py

lint: $(STAMP)
	$(PY) -m ruff check explorer tests packaging
	$(PY) -m ruff format --check explorer tests packaging
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

# Mutation testing (slow; not part of `make test`): configured in [tool.mutmut].
# Scope a run with a name pattern: make mutants MUTANTS='explorer.engine.parser*'
mutants: system $(STAMP)
	CI=true QT_QPA_PLATFORM=offscreen $(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)
	$(VENV)/bin/mutmut results

system:
	@bash packaging/system-deps.sh

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
