"""Scheduled expiry and go-live happen by themselves: the beat runs Wagtail's publish_scheduled."""

import datetime

import pytest

from django.conf import settings
from django.utils import timezone

from articles.models import ArticlePage
from articles.tasks import publish_scheduled_pages

pytestmark = pytest.mark.django_db


def test_the_beat_runs_scheduled_publishing_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["articles-publish-scheduled"]
    assert entry["task"] == "articles.tasks.publish_scheduled_pages" and entry["schedule"] == 60.0


def test_an_expired_article_leaves_the_site_and_search(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="【サンプル】期間限定の離乳食教室", summary="【サンプル】離乳食")
    assert article.title in client.get("/search/?q=離乳食").text
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        publish_scheduled_pages()

    article.refresh_from_db()
    assert not article.live and article.expired
    assert article.title not in client.get("/search/?q=離乳食").text  # the page cache was cleared
    assert client.get(article.url).status_code == 404
    publish_scheduled_pages()  # nothing is due any more: a second run changes nothing
    article.refresh_from_db()
    assert not article.live
