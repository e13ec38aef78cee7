# Lumbung Inovasi — the two commands of the README, and a few more.
#   make demo   install, set up the embedded database, load the Lampung Barat demo, serve on 127.0.0.1:8000
#   make test   install what the tests need (Chromium included) and run the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | sha1sum | cut -c1-10)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-10)
PYTEST_WORKERS ?= 2

.PHONY: install install-dev demo serve test test-fast bench bench-precheck loadtest lint format messages check-deploy clean backup-drill

$(RUNTIME_STAMP): requirements.txt
	scripts/install-system-packages.sh runtime
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	scripts/install-system-packages.sh test
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py load_demo --quiet-logins
	scripts/serve-demo.sh

serve: install
	scripts/serve-demo.sh

test: install-dev
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: install-dev
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not browser and not worker" $(PYTEST_ARGS)

# The restore drill: data with evidence files, backup, wipe, restore, compare (local and S3 storage).
backup-drill: install-dev
	$(PY) -m pytest -q -s -p no:randomly -p no:xdist lumbung/backups/tests/test_drill.py

bench: install-dev
	$(PY) benchmarks/run.py
	$(PY) benchmarks/precheck.py

# Precision and recall of the evidence pre-check on generated typed and scanned documents.
bench-precheck: install-dev
	$(PY) benchmarks/precheck.py

loadtest: install-dev
	scripts/install-system-packages.sh loadtest
	$(PY) benchmarks/loadtest.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-dev
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=inovasi.example.go.id \
	  $(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.production

clean:
	rm -rf var/lumbung.sqlite3* var/media var/static var/test-media
