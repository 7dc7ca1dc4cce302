"""Fixtures for the notification tests: the fake LINE and FCM servers, subscribers, articles."""

import datetime

import pytest

from wagtail.models import Page, Site

from tests.fakes.fixtures import fcm_server, line_server, short_line_timeout  # noqa: F401


@pytest.fixture
def article_index(db):
    """An article index under a home page that is the default site's root."""
    from articles.models import ArticleIndexPage
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="おやこハブ（サンプル）", slug="oyako-sample"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return home.add_child(instance=ArticleIndexPage(title="記事", slug="articles"))


@pytest.fixture
def physician(db):
    from articles.models import Physician

    return Physician.objects.create(name="医師 サンプル", name_kana="いし さんぷる", specialty="paediatrics")


def approve(revision, physician, reviewed_on=None):
    """Record a physician's approval of ``revision`` (what the review workflow does)."""
    from articles.models import ArticleApproval
    from articles.translations import source_of

    reviewed_on = reviewed_on or datetime.date.today()
    # A translation is approved against its source's live version.
    source = source_of(revision.content_object)
    return ArticleApproval.objects.create(
        page_id=revision.object_id,
        revision=revision,
        physician=physician,
        source_revision_id=source.live_revision_id if source is not None else None,
        reviewed_on=reviewed_on,
        next_review_due=reviewed_on + datetime.timedelta(days=365),
    )


@pytest.fixture
def new_article(article_index, physician):
    """An unpublished article draft: ``new_article(title=..., life_stages=[...])``."""
    from articles.models import ArticlePage, LifeStage

    def make(title="【サンプル】はじめての予防接種", life_stages=("age_0_1",), **fields):
        fields.setdefault("summary", "【サンプル】予防接種の受け方をまとめた架空の記事です。")
        page = ArticlePage(
            title=title,
            physician=physician,
            body=[("paragraph", "<p>【サンプル】架空の本文です。</p>")],
            live=False,
            **fields,
        )
        article_index.add_child(instance=page)
        page.life_stages.set(LifeStage.objects.filter(code__in=life_stages))
        page.save_revision()
        return page

    return make


@pytest.fixture
def publish(physician):
    """Approve the page's latest revision and publish it, as the review workflow would."""

    def run(page, approved=True):
        revision = page.latest_revision
        if approved:
            approve(revision, physician)
        revision.publish()
        page.refresh_from_db()
        return revision

    return run


@pytest.fixture
def followers(db):
    """``followers(n, language="ja", **fields)`` creates n active LINE followers."""
    from notifications.models import LineFollower

    counter = {"n": 0}

    def make(n, language="ja", **fields):
        start = counter["n"]
        counter["n"] += n
        rows = [
            LineFollower(line_user_id=f"U{index:032x}", language=language, **fields)
            for index in range(start, start + n)
        ]
        return LineFollower.objects.bulk_create(rows)

    return make


@pytest.fixture
def devices(db):
    """``devices(n, language="ja")`` creates n active app devices."""
    from notifications.models import AppDevice

    counter = {"n": 0}

    def make(n, language="ja", **fields):
        start = counter["n"]
        counter["n"] += n
        rows = [
            AppDevice(token=f"fcm-token-{index:06d}", platform="android", language=language, **fields)
            for index in range(start, start + n)
        ]
        return AppDevice.objects.bulk_create(rows)

    return make


@pytest.fixture
def queued(monkeypatch):
    """The send task's queueing, recorded instead of sent to the broker: the queued notification ids."""
    from notifications import tasks

    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    return calls
