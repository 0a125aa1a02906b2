# Two commands on a fresh machine: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-dist lint format bench clean venv

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

test-dist: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m dist tests

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
