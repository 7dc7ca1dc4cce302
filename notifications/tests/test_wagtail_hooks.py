"""The push log, its retry action and the dashboard KPI panel."""

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notifications import services, tasks
from notifications.models import Batch, BatchStatus, Notification

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *a, **k: None)
    return calls


@pytest.fixture
def failed_notification(new_article, publish, followers, line_server, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(3)
    notification = services.issue(source="test:failed", page=page, title=page.title, text=page.summary)
    line_server.fail_next(400)
    tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    return notification


def test_push_log_lists_notifications_with_status_and_recipients(admin_client, failed_notification):
    response = admin_client.get(reverse("push_log:index"))

    assert response.status_code == 200
    assert failed_notification.title in response.content.decode()


def test_push_log_shows_batches_with_their_errors(admin_client, failed_notification):
    response = admin_client.get(reverse("push_log:inspect", args=[failed_notification.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "LINE 400" in content
    assert reverse("push_log:retry", args=[failed_notification.pk]) in content


def test_retry_action_reopens_failed_batches_and_queues_after_commit_without_sending(
    admin_client, failed_notification, queued, line_server, django_capture_on_commit_callbacks
):
    requests_before = len(line_server.requests)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("push_log:retry", args=[failed_notification.pk]))

    assert response.status_code == 302
    assert Batch.objects.get().status == BatchStatus.PENDING
    assert queued == [failed_notification.pk]
    assert len(line_server.requests) == requests_before


def test_retry_action_refuses_get(admin_client, failed_notification):
    response = admin_client.get(reverse("push_log:retry", args=[failed_notification.pk]))

    assert response.status_code == 405
    assert Batch.objects.get().status == BatchStatus.FAILED


def test_retry_action_refuses_users_without_permission(client, django_user_model, failed_notification):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.jp", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.post(reverse("push_log:retry", args=[failed_notification.pk]))

    assert response.status_code in (302, 403)
    assert Batch.objects.get().status == BatchStatus.FAILED


def test_recorded_messages_show_as_recorded_not_sent(admin_client, new_article, publish, followers, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(2)
    notification = services.issue(source="test:rec", page=page, title=page.title, text=page.summary)
    tasks.send_notification(notification.pk)

    response = admin_client.get(reverse("push_log:index"))

    with translation.override("ja"):
        assert gettext("Recorded, not sent") in response.content.decode()


def test_dashboard_shows_kpi_figures_from_the_database(admin_client, followers, devices):
    from django.utils import timezone

    followers(4)
    devices(3)
    Notification.objects.create(source="x", title="t", text="x", first_accepted_at=timezone.now())

    response = admin_client.get(reverse("wagtailadmin_home"))

    content = response.content.decode()
    with translation.override("ja"):
        assert gettext("%(count)s of %(target)s") % {"count": 1, "target": 50} in content
        assert gettext("%(count)s of %(target)s") % {"count": 7, "target": 500} in content
