"""An approved article published in the hub reaches the fake LINE server through a real Celery
worker on Redis, with PostgreSQL, and the KPI rises by exactly one."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from django.db import connection

from wagtail.models import Page, Site

from notifications import kpi
from notifications.models import LineFollower, Notification, NotificationStatus
from tests.fakes.line_server import FakeLineServer

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

REPO_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    return url


@pytest.fixture
def queue():
    return f"services-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def broker(redis_url, queue):
    """Point this process's Celery app at Redis and the test's own three queues (a key prefix)."""
    from cms.celery import app

    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = redis_url
    app.conf.broker_transport_options = {"global_keyprefix": f"{queue}:"}
    app._pool = None  # forget connections to the in-memory broker of the other tests
    app.amqp._producer_pool = None
    yield app
    app.conf.broker_url, app.conf.broker_transport_options = previous
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def fake_line():
    with FakeLineServer() as server:
        yield server


@pytest.fixture
def worker(broker, redis_url, queue, fake_line, db):
    """A `celery -A cms worker` process on the same test database; stopped before the database goes."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test_services",
        "SERVICES_DATABASE_NAME": connection.settings_dict["NAME"],
        "SERVICES_QUEUE": queue,
        "REDIS_URL": redis_url,
        "LINE_API_BASE_URL": fake_line.base_url,
        "LINE_CHANNEL_ACCESS_TOKEN": fake_line.access_token,
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "cms",
            "worker",
            "--pool=solo",
            "-Q",
            "pushes,webhook,housekeeping",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output[-4000:])  # shown when the test fails


def _wait_for(condition):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _article(physician):
    from articles.models import ArticleIndexPage, ArticlePage, LifeStage
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="おやこハブ（サンプル）", slug="oyako-services"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    index = home.add_child(instance=ArticleIndexPage(title="記事", slug="articles"))
    page = ArticlePage(
        title="【サンプル】離乳食のはじめ方",
        summary="【サンプル】離乳食を始める時期の目安をまとめた架空の記事です。",
        body=[("paragraph", "<p>【サンプル】架空の本文です。</p>")],
        physician=physician,
        live=False,
    )
    index.add_child(instance=page)
    page.life_stages.set(LifeStage.objects.filter(code="age_0_1"))
    return page


def test_approved_article_published_reaches_line_through_the_worker_and_counts_once(
    worker, fake_line, django_user_model
):
    from articles.models import ArticleApproval, Physician

    admin = django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw")
    physician = Physician.objects.create(name="医師 サンプル", name_kana="いし", specialty="paediatrics")
    followers = LineFollower.objects.bulk_create(
        [LineFollower(line_user_id=f"U{index:032x}", language="ja") for index in range(620)]
    )
    before = kpi.notifications_issued()

    page = _article(physician)
    revision = page.save_revision(user=admin)
    today = datetime.date.today()
    ArticleApproval.objects.create(
        page=page,
        revision=revision,
        physician=physician,
        approved_by=admin,
        reviewed_on=today,
        next_review_due=today + datetime.timedelta(days=365),
    )
    revision.publish(user=admin)

    assert _wait_for(lambda: Notification.objects.filter(status=NotificationStatus.SENT).exists()), (
        "the worker did not send the notification"
    )
    assert fake_line.errors == []
    assert set(fake_line.delivered) == {f.line_user_id for f in followers}
    assert set(fake_line.delivered.values()) == {1}
    assert kpi.notifications_issued() == before + 1
    assert Notification.objects.get().recipient_counts()["line"] == 620
