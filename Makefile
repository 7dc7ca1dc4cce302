# Oyako Hub. `make run` sets everything up and serves the hub; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?= oyako-demo-2026
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export DEMO_PASSWORD

.PHONY: run setup install test lint migrate demo worker messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/requirements.stamp: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/requirements.stamp

migrate: install
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py load_demo_content

setup: demo

# The worker (with an embedded beat) runs beside the dev server and stops with it.
run: setup
	@mkdir -p var/broker/out var/broker/processed var/cache
	@echo ""
	@echo "Oyako Hub: http://127.0.0.1:$(PORT)/   admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "Demo users: editor, physician, admin   password: $(DEMO_PASSWORD)"
	@echo ""
	@DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/celery -A cms worker --beat --loglevel=INFO \
		-Q pushes,webhook,housekeeping --schedule var/celerybeat-schedule --concurrency 2 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
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
