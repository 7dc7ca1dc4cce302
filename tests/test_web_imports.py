"""The web process loads only what serving pages needs: the push SDKs stay in the worker."""

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# What the worker alone needs: the LINE and FCM client libraries and the Google stack under FCM.
WORKER_ONLY = ("linebot", "firebase_admin", "google.cloud", "grpc")

PROBE = """
import json, sys
import cms.wsgi
from django.urls import get_resolver
get_resolver().url_patterns  # the whole URLconf, with every view module it names
print(json.dumps(sorted(sys.modules)))
"""


def _modules_loaded_by_web_process(settings_module):
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT,
        env={"DJANGO_SETTINGS_MODULE": settings_module, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_web_process_never_imports_the_line_or_fcm_sdk():
    modules = _modules_loaded_by_web_process("cms.settings.test")
    assert "notifications.webhook" in modules  # the probe did load the webhook's module chain
    loaded = [name for name in modules if name.startswith(WORKER_ONLY)]
    assert loaded == []


def test_the_worker_still_finds_the_sdks_where_it_uses_them():
    from notifications import tasks

    client = tasks.line_api_client()
    assert type(client).__module__.startswith("linebot")
    assert tasks._is_transient(OSError("connection reset"))


# Loaded by the admin views that use them (exports, imports, calendar feeds, two-factor enrolment)
# and by the demo, never by every web worker.
ADMIN_OR_DEMO_ONLY = ("openpyxl", "import_export", "tablib", "icalendar", "qrcode", "factory", "faker")


def test_web_process_leaves_admin_only_and_demo_libraries_to_their_views():
    modules = _modules_loaded_by_web_process("cms.settings.test")
    loaded = sorted({name.split(".")[0] for name in modules if name.startswith(ADMIN_OR_DEMO_ONLY)})
    assert loaded == []


def test_the_master_prepares_the_public_templates_and_no_connection(django_db_blocker):
    """gunicorn's master (gunicorn.conf.py) compiles the site's own templates before forking and
    leaves no database connection for the workers to inherit."""
    from django.db import connections

    from cms.preload import public_templates, warm

    names = public_templates()
    assert "base.html" in names and "articles/search.html" in names
    assert not [name for name in names if name.startswith(("wagtailadmin/", "admin/"))]
    assert not [name for name in names if "/admin/" in f"/{name}"]

    def opened():
        return {connection.alias: id(connection.connection) for connection in connections.all()}

    before = opened()  # earlier tests may have left some (an in-memory SQLite one never closes)
    with django_db_blocker.block():  # warming touches no database: a query would raise here
        warm()
    assert opened() == before
