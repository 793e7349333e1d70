# BiblioMO — set-up and everyday commands. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck layers deadcode lock bench install install-dev migrate demo messages collectstatic clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BiblioMO needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs come from the lock files: every package of the tree pinned, the same on every
# machine. requirements*.txt name what the project uses; `make lock` derives the locks.
$(VENV)/.installed: $(PY) requirements.lock
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $@

PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

lock: install-dev  # after changing requirements*.txt; tests/test_lock.py checks they agree
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -o requirements-dev.lock requirements-dev.txt

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

lint: install-dev typecheck layers
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	DEBUG=1 $(VENV)/bin/mypy

layers: install-dev  # the import contracts in pyproject.toml (docs/ARCHITECTURE.md)
	$(VENV)/bin/lint-imports

deadcode: install-dev
	$(VENV)/bin/vulture --min-confidence 80 --exclude "*/migrations/*,*/tests/*" bibliomo .vulture_allow.py

bench: install-dev
	DEBUG=1 $(PY) bench/run.py $(BENCH_ARGS)

messages:  # needs GNU gettext (msgfmt); the compiled catalogue is kept in the repository
	msgfmt --check-format -o locale/ru/LC_MESSAGES/django.mo locale/ru/LC_MESSAGES/django.po

collectstatic: install
	$(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
