"""Publishing an article records its notification once per live revision, never when scheduled."""

import datetime

import pytest

from django.utils import timezone

from notifications import tasks
from notifications.models import Notification
from notifications.signal_handlers import announce_article

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    return calls


def test_first_publication_records_one_notification_for_the_live_revision(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article(life_stages=("age_0_1", "age_1_3"), push_text="【サンプル】通知文")

    with django_capture_on_commit_callbacks(execute=True):
        revision = publish(page)

    notification = Notification.objects.get()
    assert notification.source == f"article:{page.pk}:rev:{revision.pk}"
    assert notification.text == "【サンプル】通知文"
    assert notification.life_stages == ["age_0_1", "age_1_3"]
    assert queued == [notification.pk]


def test_republishing_unchanged_or_a_later_revision_does_not_push_again(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article()
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    page.refresh_from_db()
    assert page.notify_subscribers is False

    page.summary = "【サンプル】改訂した要約"
    page.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)

    assert Notification.objects.count() == 1
    assert len(queued) == 1


def test_a_later_revision_pushes_when_the_editor_ticks_notify_again(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article()
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    page.refresh_from_db()

    page.notify_subscribers = True
    page.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(page)

    assert Notification.objects.count() == 2
    assert Notification.objects.filter(source=f"article:{page.pk}:rev:{second.pk}").exists()


def test_scheduling_a_never_published_article_records_nothing_until_it_goes_live(
    new_article, physician, queued, django_capture_on_commit_callbacks
):
    from notifications.tests.conftest import approve

    page = new_article()
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = page.save_revision()
    approve(revision, physician)

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()  # only schedules; Wagtail still sends page_published (issue 13959)

    page.refresh_from_db()
    assert not page.live
    assert Notification.objects.count() == 0
    assert queued == []


def test_signal_fired_twice_records_one_notification(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article()
    with django_capture_on_commit_callbacks(execute=True):
        revision = publish(page)
        page.notify_subscribers = True  # as the in-memory page is when Wagtail sends the signal
        announce_article(sender=type(page), instance=page, revision=revision)

    assert Notification.objects.count() == 1
    assert len(queued) == 1


def test_unticked_article_records_nothing(new_article, publish, queued, django_capture_on_commit_callbacks):
    page = new_article(notify_subscribers=False)

    with django_capture_on_commit_callbacks(execute=True):
        publish(page)

    assert Notification.objects.count() == 0
