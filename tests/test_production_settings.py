"""Production settings refuse to start without their environment, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FULL_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-" + "x" * 20,
    "ALLOWED_HOSTS": "oyako.example.jp",
    "DATABASE_URL": "postgresql://oyako@127.0.0.1:5432/oyako",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://oyako.example.jp",
    "LINE_CHANNEL_SECRET": "line-secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "line-token",
    "APP_API_KEY": "app-key",
    "FCM_CREDENTIALS_JSON": "{}",
}


def run_manage(*args, env):
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cms.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(set(FULL_ENV) - {"FCM_CREDENTIALS_JSON"}))
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in FULL_ENV.items() if key != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_to_start_without_fcm_credentials():
    env = {key: value for key, value in FULL_ENV.items() if key != "FCM_CREDENTIALS_JSON"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "FCM_CREDENTIALS" in result.stderr


def test_production_refuses_sqlite():
    result = run_manage("check", env={**FULL_ENV, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=FULL_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_never_creates_demo_users():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEMO_USERS_ALLOWED)", env=FULL_ENV
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
