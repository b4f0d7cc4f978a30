# Two commands set up everything on a fresh machine:
#   make run   – create .venv, install GAN Studio, open the app
#   make test  – create .venv, install with test extras, run the checks and the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test check bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/ganstudio

# The checks that keep the architecture: lint, types, and which package may import which.
check: $(VENV)/.installed
	$(VENV)/bin/ruff check ganstudio tests bench tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: check
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info
