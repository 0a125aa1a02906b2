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

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# pytest exits 5 when it collects nothing, so an empty run fails here too.
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -m "not dist" -p no:cacheprovider tests

# The frozen build (installer/whh_desktop.spec): dist/whh-desktop/ with whh-desktop (GUI) and whh (CLI).
# PyInstaller comes from the optional "dist" extra, installed into the venv on first use.
DIST_STAMP := $(VENV)/.dist-stamp

$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		installer/whh_desktop.spec
	@du -sh dist/whh-desktop

# Smoke test of the frozen build; builds it first when dist/ has none. tests/dist is named explicitly: pytest
# never recurses into a folder called "dist" (norecursedirs), so `make test` cannot pick it up either.
test-dist: $(STAMP)
	test -x dist/whh-desktop/whh || $(MAKE) dist
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m dist -p no:cacheprovider tests/dist

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
