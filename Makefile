# Two commands on a fresh machine: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-dist dist lint format bench clean venv

$(STAMP): pyproject.toml constraints.txt setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) -m whh_desktop $(ARGS)

# The import contracts ([tool.importlinter] in pyproject.toml): the layers, core without Qt, a pure domain, the UI
# only through services. mypy: the Qt-free core and the CLI, strict for core.domain and core.store (pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy -p whh_desktop.core -p whh_desktop.cli

# pytest exits 5 when it collects nothing, so an empty run fails here too. --dist loadgroup: the workers take one test
# (or one xdist_group) at a time, the long tests (marked slow) first (tests/conftest.py), so neither worker ends
# alone with a long test.
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist loadgroup -m "not dist" -p no:cacheprovider tests

# The frozen build (installer/whh_desktop.spec): dist/whh-desktop/ with whh-desktop (GUI) and whh (CLI).
# PyInstaller comes from the optional "dist" extra, installed into the venv on first use.
DIST_STAMP := $(VENV)/.dist-stamp

$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,dist]'
	touch $(DIST_STAMP)

PYINSTALLER := $(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	--workpath build/pyinstaller installer/whh_desktop.spec
# Everything that goes into the build: test-dist rebuilds when any of it is newer than the build.
DIST_INPUTS := $(shell find whh_desktop resources forms installer -type f ! -name '*.pyc' 2>/dev/null) \
	pyproject.toml constraints.txt setup.py

dist: $(DIST_STAMP)
	$(PYINSTALLER)
	@du -sh dist/whh-desktop

dist/whh-desktop/whh: $(DIST_INPUTS) $(DIST_STAMP)
	$(PYINSTALLER)
	@touch dist/whh-desktop/whh

# Smoke test of the frozen build, rebuilt first when the sources changed. tests/dist is named explicitly: pytest
# never recurses into a folder called "dist" (norecursedirs), so `make test` cannot pick it up either.
test-dist: dist/whh-desktop/whh
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m dist -p no:cacheprovider tests/dist

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# `make bench SCALE=1000000` runs the ten-times set: the parts that grow with the store (store, search, startup,
# memory) at SCALE persons, the others at their fixed sizes. Default 100 000 persons, as DESIGN.md §7 measures.
SCALE ?= 100000

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench --persons $(SCALE)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .import_linter_cache .mypy_cache
