# Oyako Hub. `make run` sets everything up and serves the hub; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?= oyako-demo-2026
# The address make run serves: links in pushes, bot replies and the demo site's host follow it.
WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export DEMO_PASSWORD WAGTAILADMIN_BASE_URL

.PHONY: run setup install system test lint migrate demo worker messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/requirements.stamp: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# System packages first (scripts/system-packages: Chromium, Pango, Noto CJK), then the virtualenv.
install: system $(VENV)/requirements.stamp

system:
	@sh scripts/system-packages

migrate: install
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py load_demo_content

setup: demo

# The worker (with an embedded beat) runs beside the dev server and stops with it. It runs in a
# session of its own (setsid): Ctrl-C or a SIGTERM to make's process group then reaches the dev
# server and this shell only, and the shell asks the worker's main process for a warm shutdown.
# A signal sent to the whole group also killed the worker's pool children while one held the pool's
# queue lock, and the main process then waited on that lock for ever. A worker still busy after
# RUN_STOP_GRACE seconds is killed with its pool (the sweeper sends again whatever it had claimed).
RUN_STOP_GRACE ?= 4
VAR_DIR := $(or $(OYAKO_VAR_DIR),var)
run: setup
	@mkdir -p $(VAR_DIR)/broker/out $(VAR_DIR)/broker/processed $(VAR_DIR)/cache
	@echo ""
	@echo "Oyako Hub: $(WAGTAILADMIN_BASE_URL)/   admin: $(WAGTAILADMIN_BASE_URL)/admin/"
	@echo "Demo users (password: $(DEMO_PASSWORD)): editor (writes), physician (approves), translator (signs off"
	@echo "  translations), midwife (bookings staff), sample-midwife (text consultation staff), admin (superuser)"
	@echo ""
	@DJANGO_SETTINGS_MODULE=cms.settings.dev setsid $(BIN)/celery -A cms worker --beat --loglevel=INFO \
		-Q pushes,webhook,housekeeping --schedule $(VAR_DIR)/celerybeat-schedule --concurrency 2 & \
	worker=$$!; \
	stop_worker() { \
		kill -TERM $$worker 2>/dev/null || return 0; \
		i=0; while kill -0 $$worker 2>/dev/null && [ $$i -lt $$(( $(RUN_STOP_GRACE) * 10 )) ]; do \
			sleep 0.1; i=$$((i + 1)); done; \
		kill -0 $$worker 2>/dev/null && kill -KILL -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null; \
	}; \
	trap 'stop_worker; trap - EXIT; exit 0' INT TERM; trap stop_worker EXIT; \
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(BIN)/python manage.py makemessages -l ja -l ja_X-easy -l en -l zh_Hans -l vi -l tl -l ko -l pt_BR --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

test: lint
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -m "not services"
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest -m "portable or services"

clean:
	rm -rf $(VENV) var db.sqlite3 media static
