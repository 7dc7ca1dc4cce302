"""The push log in Chromium (issue 25): an administrator reads a push as people talk about it —
the article's title, who approved it and when, Tokyo time, no empty lines, what really happened."""

import datetime
import os
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sample-password"
ISSUED_AT = datetime.datetime(2026, 12, 3, 12, 5, 30, 123456, tzinfo=datetime.UTC)  # 21:05 in Tokyo


@pytest.fixture
def pushes(make_article, django_user_model):
    """A push of an approved article that the recording backend kept, and one that reached no family."""
    from articles.factories import PhysicianFactory
    from articles.models import ArticleApproval
    from notifications.models import Batch, BatchStatus, Notification, NotificationStatus

    django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", PASSWORD)
    user = django_user_model.objects.create_user("morikawa", first_name="さくら", last_name="森川")
    physician = PhysicianFactory(user=user, name="森川 さくら", name_kana="もりかわ さくら")
    article = make_article(
        title="【サンプル】はじめての予防接種", physician=physician, notify_subscribers=False
    )
    ArticleApproval.objects.filter(revision_id=article.live_revision_id).update(
        approved_at=ISSUED_AT - datetime.timedelta(hours=1)
    )
    recorded = Notification.objects.create(
        source=f"article:{article.pk}:rev:{article.live_revision_id}",
        page=article,
        revision=article.live_revision,
        title="予防接種のお知らせ",
        text="【サンプル】予防接種の受け方をまとめました。",
        status=NotificationStatus.SENT,
        planned_at=ISSUED_AT,
        finished_at=ISSUED_AT,
    )
    Batch.objects.create(
        notification=recorded,
        channel="line",
        language="ja",
        content_language="ja",
        index=0,
        recipient_count=2,
        status=BatchStatus.ACCEPTED,
        recorded=True,
        accepted_at=ISSUED_AT,
    )
    nobody = Notification.objects.create(
        source="test:nobody",
        page=article,
        title="だれにも届かないお知らせ",
        text="【サンプル】",
        status=NotificationStatus.SENT,
        planned_at=ISSUED_AT,
        finished_at=ISSUED_AT,
    )
    Notification.objects.filter(pk__in=[recorded.pk, nobody.pk]).update(created_at=ISSUED_AT)
    return recorded, nobody


def test_administrator_reads_a_push_by_its_article_approval_and_tokyo_time(live_server, browser_page, pushes):
    recorded, nobody = pushes
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "sample-admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/push-log/")
    listing = page.locator("main").inner_text()
    if os.environ.get("PUSH_LOG_SCREENSHOT"):
        page.screenshot(path=os.environ["PUSH_LOG_SCREENSHOT"].replace(".png", "-list.png"))
    assert "記録のみ（未送信）" in listing
    assert "この対象に該当する家庭はありません" in listing
    assert recorded.source not in listing
    assert "2026年12月3日 21:05" in listing

    page.goto(f"{live_server.url}/admin/push-log/inspect/{recorded.pk}/")
    main = page.locator("main")
    text = main.inner_text()
    if os.environ.get("PUSH_LOG_SCREENSHOT"):
        page.screenshot(path=os.environ["PUSH_LOG_SCREENSHOT"], full_page=True)
    assert "【サンプル】はじめての予防接種" in text
    assert "森川 さくら が 2026年12月3日 20:05 に承認" in text
    assert "2026年12月3日 21:05" in text
    assert "記録のみ（未送信）" in text
    assert not re.search(r"\bNone\b", text)
    assert "+00:00" not in text and "12:05" not in text
    assert recorded.source in main.locator("[data-push-technical]").inner_text()
    assert page.locator("h1, h2").filter(has_text=recorded.source).count() == 0

    page.goto(f"{live_server.url}/admin/push-log/inspect/{nobody.pk}/")
    assert "この対象に該当する家庭はありません" in page.locator("main").inner_text()
