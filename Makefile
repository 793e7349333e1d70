# BiblioMO — set-up and everyday commands. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-dev migrate demo messages collectstatic clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BiblioMO needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var:
	@mkdir -p var

migrate: install var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput -v 0

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo --if-empty

# Static files are collected (hashed, compressed) so that pages load as in production.
run: demo
	DEBUG=$${DEBUG:-1} STATIC_BUILT=1 $(PY) manage.py collectstatic --noinput -v 0
	DEBUG=$${DEBUG:-1} STATIC_BUILT=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	DEBUG=1 $(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-dev
	DEBUG=1 $(PY) bench/run.py $(BENCH_ARGS)

messages:  # needs GNU gettext (msgfmt); the compiled catalogue is kept in the repository
	msgfmt --check-format -o locale/ru/LC_MESSAGES/django.mo locale/ru/LC_MESSAGES/django.po

collectstatic: install
	$(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
