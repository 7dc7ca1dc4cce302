"""Article views from rows (cached or not, no cookie), links in bot replies and the push log."""

import pytest

from django.core.cache import cache

from measurement.models import ArticleView, LinkClick, TrackedLink
from notifications.models import Batch, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(new_article, publish):
    page = new_article(notify_subscribers=False)
    publish(page)
    cache.clear()
    return page


def test_a_view_is_counted_whether_the_page_comes_from_the_cache_or_not(
    client, article, settings, monkeypatch
):
    from articles.models import ArticlePage

    settings.PAGECACHE_ENABLED = True
    served = []
    original = ArticlePage.serve
    monkeypatch.setattr(
        ArticlePage, "serve", lambda self, *a, **k: served.append(1) or original(self, *a, **k)
    )
    first = client.get(article.url)
    second = client.get(article.url)
    assert first.status_code == second.status_code == 200
    assert len(served) == 1  # the second came from the page cache
    assert ArticleView.objects.filter(page=article).count() == 2
    assert "X-Oyako-Measure" not in first and "X-Oyako-Measure" not in second
    assert not first.cookies and not second.cookies
    assert {f.name for f in ArticleView._meta.get_fields()} == {"id", "page", "viewed_on"}


def test_a_head_request_or_a_missing_page_is_not_a_view(client, article):
    client.head(article.url)
    client.get(article.url + "no-such-page/")
    assert not ArticleView.objects.exists()


def test_bot_reply_links_go_through_the_redirect_and_the_crisis_reply_never(bot, client, monkeypatch):
    bot.say("【サンプル】誰にも答えられない質問です")
    text = bot.reply_text()
    link = TrackedLink.objects.get(source="bot:fallback")
    assert f"/r/{link.token}/" in text and link.target.endswith("/help/")
    client.get(f"/r/{link.token}/")
    assert LinkClick.objects.filter(link=link).count() == 1

    from guidance import crisis

    monkeypatch.setattr(crisis, "message_is_crisis", lambda text: True)
    bot.say("【サンプル】危機の言葉")
    assert "/r/" not in bot.reply_text()
    assert not TrackedLink.objects.filter(source="bot:crisis").exists()


def test_the_push_log_shows_reach_opens_and_clicks_with_small_figures_worded(admin_client):
    from django.utils import timezone

    from measurement.models import InsightReading

    notification = Notification.objects.create(
        source="test:log",
        title="【サンプル】お知らせ",
        text="x",
        status="sent",
        first_accepted_at=timezone.now(),
    )
    Batch.objects.create(
        notification=notification,
        channel="line",
        language="ja",
        index=0,
        recipient_count=150,
        accepted_at=timezone.now(),
        status="accepted",
    )
    InsightReading.objects.create(
        notification=notification,
        unique_impressions=90,
        unique_clicks=None,
        period_from=timezone.localdate(),
        period_to=timezone.localdate(),
    )
    link = TrackedLink.objects.create(
        source="test:log", target="http://testserver/", notification=notification
    )
    LinkClick.objects.bulk_create([LinkClick(link=link)] * 3)

    listing = admin_client.get("/admin/push-log/").content.decode()
    detail = admin_client.get(f"/admin/push-log/inspect/{notification.pk}/").content.decode()
    from django.utils import translation

    from measurement.figures import FEWER_THAN_5, FEWER_THAN_20

    with translation.override("ja"):  # the admin's default language
        small = [str(FEWER_THAN_20), str(FEWER_THAN_5)]
    for page in (listing, detail):
        assert "150" in page and "60.0%" in page
        assert all(words in page for words in small)


def test_an_editors_preview_is_not_a_view(admin_client, article):
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert not ArticleView.objects.exists()
