"""Audit trail of the push pipeline: issued, skipped and retried pushes in Wagtail's log."""

import io

import pytest

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import ModelLogEntry

from notifications import services
from notifications.models import Batch, BatchStatus, Notification, NotificationStatus

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "pw")


def entries(notification, action):
    return ModelLogEntry.objects.filter(
        action=action, object_id=str(notification.pk), content_type__model="notification"
    )


def failed(notification):
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.FAILED)
    Batch.objects.create(
        notification=notification, channel="line", language="ja", index=0, status=BatchStatus.FAILED
    )


def test_an_issued_push_is_logged_with_who_asked(new_article, publish, administrator, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    notification = services.issue(
        source="test:audit", page=page, title=page.title, text=page.summary, requested_by=administrator
    )
    entry = entries(notification, "oyako.push_issued").get()
    assert entry.user == administrator
    assert entry.data["source"] == "test:audit"
    # Issuing the same source again records nothing new.
    services.issue(source="test:audit", page=page, title=page.title, text=page.summary)
    assert ModelLogEntry.objects.filter(action__startswith="oyako.push").count() == 1


def test_a_push_that_may_not_go_out_is_logged_as_skipped_with_its_reason(new_article, queued):
    page = new_article(notify_subscribers=False)  # never published
    notification = services.issue(source="test:draft", page=page, title=page.title, text=page.summary)
    entry = entries(notification, "oyako.push_skipped").get()
    assert entry.data["reason"] == str(notification.skip_reason)
    assert not entries(notification, "oyako.push_issued").exists()


def test_the_push_log_retry_is_logged_with_the_administrator(
    client, new_article, publish, administrator, queued, django_capture_on_commit_callbacks
):
    page = new_article(notify_subscribers=False)
    publish(page)
    notification = services.issue(source="test:retry", page=page, title=page.title, text=page.summary)
    failed(notification)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("push_log:retry", args=[notification.pk]))
    entry = entries(notification, "oyako.push_retried").get()
    assert entry.user == administrator and entry.data == {"batches": 1}
    # It shows in the admin's site history, with the administrator's name.
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "失敗したバッチ 1 件を再び送信待ちにしました" in history


def test_the_retry_command_is_logged_as_the_system(new_article, publish, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    notification = services.issue(source="test:command", page=page, title=page.title, text=page.summary)
    failed(notification)
    call_command("retry_notifications", stdout=io.StringIO())
    entry = entries(notification, "oyako.push_retried").get()
    assert entry.user is None and entry.data == {"batches": 1}
