"""Subscribers read an approved live translation in their language, Japanese otherwise."""

import pytest

from wagtail.models import Locale

from notifications import services, tasks
from notifications.tests.conftest import approve

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *a, **k: None)
    monkeypatch.setattr(tasks.send_notification, "delay", lambda *a: None)


@pytest.fixture
def english_translation(new_article, publish):
    """An article and its English translation (a draft, not yet approved)."""
    page = new_article(notify_subscribers=False)
    publish(page)
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = page.copy_for_translation(english, copy_parents=True, alias=False)
    translated.title = "[Sample] First vaccinations"
    translated.summary = "[Sample] A fictional article on vaccinations."
    translated.live = False
    translated.save()
    translated.save_revision()
    return page, translated


def _titles_by_user(line_server):
    return {
        user: body["messages"][0]["contents"]["body"]["contents"][0]["text"]
        for _method, path, _headers, body in line_server.requests
        if path.endswith("multicast")
        for user in body["to"]
    }


def test_english_follower_gets_the_approved_english_translation(
    english_translation, followers, line_server, physician
):
    page, translated = english_translation
    revision = translated.latest_revision
    approve(revision, physician)
    revision.publish()
    (japanese,) = followers(1, language="ja")
    (english,) = followers(1, language="en")
    notification = services.issue(source="test:lang", page=page, title=page.title, text=page.summary)

    tasks.send_notification(notification.pk)

    titles = _titles_by_user(line_server)
    assert titles[english.line_user_id] == "[Sample] First vaccinations"
    assert titles[japanese.line_user_id] == page.title
    texts = {
        user: body["messages"][0]["altText"]
        for _m, path, _h, body in line_server.requests
        if path.endswith("multicast")
        for user in body["to"]
    }
    assert texts[english.line_user_id].endswith("[Sample] A fictional article on vaccinations.")
    assert line_server.errors == []


def test_unapproved_translation_is_not_used(english_translation, followers, line_server):
    page, _translated = english_translation
    (english,) = followers(1, language="en")
    notification = services.issue(source="test:lang", page=page, title=page.title, text=page.summary)

    tasks.send_notification(notification.pk)

    assert _titles_by_user(line_server)[english.line_user_id] == page.title
