"""issue(): one outbox row per source, queued only after commit, skipped when it must not go out."""

import datetime

import pytest
import time_machine

from django.utils import translation

from notifications import kpi, services, tasks
from notifications.models import Notification, NotificationStatus

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    return calls


def _issue(page, source="test:1", **kwargs):
    # Skip reasons are stored in the language active when issued; the assertions read English.
    with translation.override("en"):
        return services.issue(source=source, page=page, title=page.title, text="【サンプル】", **kwargs)


def test_issue_queues_the_send_only_after_commit(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)
    publish(page)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = _issue(page)
        assert queued == []
    for callback in callbacks:
        callback()

    assert notification.status == NotificationStatus.PENDING
    assert queued == [notification.pk]


def test_same_source_twice_returns_the_same_row_and_queues_once(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)
    publish(page)

    with django_capture_on_commit_callbacks(execute=True):
        first = _issue(page)
        second = _issue(page)

    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert queued == [first.pk]


def test_page_that_is_not_live_is_skipped_with_a_reason(
    new_article, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = _issue(page)

    assert notification.status == NotificationStatus.SKIPPED
    assert "not live" in notification.skip_reason
    assert queued == []


def test_article_whose_live_revision_lacks_approval_is_skipped(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    from articles.models import ArticleApproval

    page = new_article(notify_subscribers=False)
    publish(page)
    ArticleApproval.objects.filter(revision_id=page.live_revision_id).delete()

    with django_capture_on_commit_callbacks(execute=True):
        notification = _issue(page)

    assert notification.status == NotificationStatus.SKIPPED
    assert "approval" in notification.skip_reason
    assert queued == []


def test_article_past_its_review_date_is_never_pushed(
    new_article, publish, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)
    publish(page)

    with (
        time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = _issue(page)

    assert notification.status == NotificationStatus.SKIPPED
    assert "review date" in notification.skip_reason
    assert queued == []
    assert kpi.notifications_issued(2029) == 0
