# 永警大讲堂 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: run test test-browser lint bench install migrate seed worker messages clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || bash scripts/system-deps.sh venv
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Install exactly what CI tested (requirements.lock, frozen from pyproject.toml ranges).
install: $(PY)
	$(PIP) install --quiet -r requirements.lock

migrate: install
	@bash scripts/system-deps.sh run
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# The web server and the task worker together (Procfile); one Ctrl-C stops both.
run: seed
	@echo "Serving on http://$(HOST)/ with the background task worker (Ctrl-C stops both)."
	HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile

worker: install
	$(PY) manage.py db_worker --queue-name '*'

test: install
	@bash scripts/system-deps.sh test
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

test-browser: install
	@bash scripts/system-deps.sh test
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

messages: install
	@for dir in officers lessons assessments mentoring ranking publications notices; do (cd $$dir && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete >/dev/null); done
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore="officers/*" --ignore="lessons/*" --ignore="assessments/*" --ignore="mentoring/*" --ignore="ranking/*" --ignore="publications/*" --ignore="notices/*"
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
