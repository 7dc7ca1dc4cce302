"""One article approved in Japanese and in やさしい日本語 reaches LINE followers of each language
with their own text (or their fallback's), through a real Celery worker on Redis and PostgreSQL."""

import pytest

from wagtail.models import Locale

from notifications import services
from notifications.models import Batch, LineFollower, Notification, NotificationStatus
from tests.services.test_push_with_worker import (  # noqa: F401  (fixtures)
    _article,
    _wait_for,
    broker,
    fake_line,
    queue,
    redis_url,
    worker,
)

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

EASY_TITLE = "【サンプル】りにゅうしょくの はじめかた"


def _approved_source_and_easy_translation(physician, admin):
    from articles.factories import MedicalReviewerFactory, publish_approved

    page = _article(physician)
    page.notify_subscribers = False
    publish_approved(page, user=admin)
    easy = page.copy_for_translation(
        Locale.objects.get_or_create(language_code="ja-x-easy")[0], copy_parents=True
    )
    easy.title = EASY_TITLE
    easy.summary = "【サンプル】りにゅうしょくを はじめる じきの めやすです。"
    easy.save()
    publish_approved(easy, user=admin, reviewer=MedicalReviewerFactory(languages=["ja-x-easy"]))
    page.refresh_from_db()
    return page


def test_an_article_reaches_each_language_with_its_own_text(worker, fake_line, django_user_model):  # noqa: F811
    from articles.models import Physician

    admin = django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw")
    physician = Physician.objects.create(name="医師 サンプル", name_kana="いし", specialty="paediatrics")
    page = _approved_source_and_easy_translation(physician, admin)
    groups = {}
    for number, code in enumerate(["ja", "ja-x-easy", "vi", "ko"]):
        groups[code] = LineFollower.objects.bulk_create(
            [LineFollower(line_user_id=f"U{number:02x}{index:030x}", language=code) for index in range(3)]
        )

    notification = services.issue(
        source="services:languages", page=page, title=page.title, text=page.summary, requested_by=admin
    )

    assert _wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENT).exists()
    )
    assert fake_line.errors == []
    titles = {}
    for _method, path, _headers, body in fake_line.requests:
        if path == "/v2/bot/message/multicast":
            for user in body["to"]:
                titles[user] = body["messages"][0]["altText"].split("\n")[0]
    # The worker's settings give vi the chain vi → やさしい日本語 → Japanese; ko falls to Japanese.
    expected = {"ja": page.title, "ja-x-easy": EASY_TITLE, "vi": EASY_TITLE, "ko": page.title}
    for code, followers in groups.items():
        assert {titles[f.line_user_id] for f in followers} == {expected[code]}, code
    sent_in = dict(
        Batch.objects.filter(notification=notification).values_list("language", "content_language")
    )
    assert sent_in == {"ja": "ja", "ja-x-easy": "ja-x-easy", "vi": "ja-x-easy", "ko": "ja"}
