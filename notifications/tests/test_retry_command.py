"""retry_notifications: failed and stuck notifications go back to the send task."""

import datetime

import pytest
import time_machine

from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Batch, BatchStatus, NotificationStatus

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *a, **k: None)
    return calls


def test_failed_and_stuck_notifications_are_requeued(
    new_article, publish, followers, line_server, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(2)
    failed = services.issue(source="test:a", page=page, title="t", text="x")
    line_server.fail_next(400)
    tasks.send_notification(failed.pk)
    stuck = services.issue(source="test:b", page=page, title="t", text="x")  # its task was lost
    queued.clear()

    with (
        time_machine.travel(timezone.now() + datetime.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("retry_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(queued) == sorted([failed.pk, stuck.pk])
    assert Batch.objects.get(notification=failed).status == BatchStatus.PENDING


def test_a_withdrawn_pushs_retry_cancels_it_and_queues_nothing(
    new_article, publish, followers, line_server, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(2)
    failed = services.issue(source="test:a", page=page, title="t", text="x")
    line_server.fail_next(400)
    tasks.send_notification(failed.pk)
    page.unpublish()
    queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert queued == []
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.CANCELLED
    assert Batch.objects.get(notification=failed).status == BatchStatus.CANCELLED


def test_unknown_notification_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No notification"):
        call_command("retry_notifications", "--notification", "999")


def test_negative_age_is_refused(db):
    with pytest.raises(CommandError, match="older-than"):
        call_command("retry_notifications", "--older-than", "-1")
