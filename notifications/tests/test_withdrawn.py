"""Withdrawn or overdue advice never goes out: the page rule is asked again at every moment a push
is about to be sent (first send, each group of batches, a retry after LINE's 5xx, the sweeper, the
release of a hold, an administrator's retry); a push that fails it is cancelled, with the reason in
the push log and the audit log, and counts toward no KPI."""

import datetime

import pytest
import time_machine

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.models import ModelLogEntry

from notifications import kpi, sending, services, tasks
from notifications.models import Batch, BatchStatus, Notification, NotificationStatus

pytestmark = [pytest.mark.portable, pytest.mark.django_db]

NOT_LIVE = "The page is not live."
OVERDUE = "The article is past its review date."


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    """Send tasks queued (now or later) are recorded: the test decides when each run happens."""
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    monkeypatch.setattr(
        tasks.send_notification, "apply_async", lambda args, countdown=None: calls.append(args[0])
    )
    return calls


@pytest.fixture
def article(new_article, publish):
    page = new_article(notify_subscribers=False)
    publish(page)
    return page


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw"))
    return client


def _notify(page, source="test:withdrawn"):
    return services.issue(source=source, page=page, title=page.title, text=page.summary)


def _later(**delta):
    return time_machine.travel(timezone.now() + datetime.timedelta(**delta))


def _multicast_users(line_server):
    requests = line_server.requests
    return [user for _m, path, _h, body in requests if path.endswith("multicast") for user in body["to"]]


def _assert_cancelled(notification, reason_part):
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED
    assert gettext(reason_part) in notification.skip_reason
    entry = ModelLogEntry.objects.filter(action="oyako.push_withdrawn", object_id=str(notification.pk)).get()
    assert entry.data["reason"] == notification.skip_reason
    assert not notification.batches.filter(status__in=[BatchStatus.PENDING, BatchStatus.FAILED]).exists()
    assert kpi.notifications_issued() == 0


def test_a_push_whose_article_was_unpublished_before_its_first_send_is_cancelled(
    article, followers, line_server
):
    followers(3)
    notification = _notify(article)
    article.unpublish()

    tasks.send_notification(notification.pk)

    assert _multicast_users(line_server) == []
    _assert_cancelled(notification, NOT_LIVE)
    assert not notification.batches.exists()


def test_a_held_push_released_after_its_article_was_unpublished_is_cancelled_not_sent(
    article, followers, line_server, queued, admin_client, django_capture_on_commit_callbacks
):
    followers(10)
    line_server.quota_limit, line_server.quota_used = 100, 95
    notification = _notify(article)
    tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.HELD
    article.unpublish()

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("push_log:release", args=[notification.pk]), follow=True)

    assert queued == []
    assert gettext(NOT_LIVE) in response.content.decode()
    _assert_cancelled(notification, NOT_LIVE)
    notification.refresh_from_db()
    assert notification.released_at is None
    assert _multicast_users(line_server) == []


def test_a_batch_waiting_for_its_retry_after_a_5xx_is_cancelled_when_the_article_is_unpublished(
    article, followers, line_server
):
    followers(10)
    notification = _notify(article)
    line_server.fail_next(500)
    tasks.send_notification(notification.pk)
    assert Batch.objects.get().status == BatchStatus.PENDING
    article.unpublish()

    with _later(minutes=30):
        tasks.send_notification(notification.pk)

    assert line_server.delivered == {}
    _assert_cancelled(notification, NOT_LIVE)
    assert Batch.objects.get().status == BatchStatus.CANCELLED


def test_the_sweeper_cancels_a_stuck_push_whose_article_fell_past_its_review_date(
    article, followers, line_server, queued
):
    followers(2)
    notification = _notify(article)  # queued, but the task was lost

    with _later(days=400):  # the approval's review falls due after 365 days
        assert sending.stuck_notifications() == [notification.pk]
        assert tasks.sweep_notifications() == []
        tasks.send_notification(notification.pk)

    assert _multicast_users(line_server) == []
    _assert_cancelled(notification, OVERDUE)
    assert notification.recoveries == 0


def test_an_administrators_retry_of_a_withdrawn_pushs_failed_batches_cancels_it(
    article, followers, line_server, queued, admin_client, django_capture_on_commit_callbacks
):
    followers(5)
    notification = _notify(article)
    line_server.fail_next(400)
    tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    article.unpublish()

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("push_log:retry", args=[notification.pk]), follow=True)

    assert queued == []
    assert gettext(NOT_LIVE) in response.content.decode()
    _assert_cancelled(notification, NOT_LIVE)
    assert Batch.objects.get().status == BatchStatus.CANCELLED
    entry = ModelLogEntry.objects.get(action="oyako.push_withdrawn", object_id=str(notification.pk))
    assert entry.user.username == "admin"
    inspect = admin_client.get(reverse("push_log:inspect", args=[notification.pk])).content.decode()
    assert notification.get_status_display() in inspect and notification.skip_reason in inspect


def test_a_push_withdrawn_while_its_batches_go_out_sends_no_further_batch_and_is_not_counted(
    article, followers, line_server, monkeypatch, settings
):
    settings.NOTIFICATIONS_SEND_CONCURRENCY = 1
    followers(1000)  # two batches, sent one group at a time
    notification = _notify(article)
    real_claim = sending.claim

    def claim_then_withdraw(pks):
        claimed = real_claim(pks)
        type(article).objects.filter(pk=article.pk).update(live=False)  # the physician unpublishes
        return claimed

    monkeypatch.setattr(sending, "claim", claim_then_withdraw)
    tasks.send_notification(notification.pk)

    assert len(line_server.delivered) == 500
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED
    assert notification.first_accepted_at is not None
    assert sorted(notification.batches.values_list("status", flat=True)) == [
        BatchStatus.ACCEPTED,
        BatchStatus.CANCELLED,
    ]
    assert kpi.notifications_issued() == 0
    assert sending.stuck_notifications() == []


def test_a_push_whose_article_stays_announceable_is_sent_as_before(article, followers, line_server):
    followers(3)
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(_multicast_users(line_server)) == 3
    assert Notification.objects.filter(status=NotificationStatus.CANCELLED).count() == 0


def test_a_push_linking_a_translation_whose_source_was_republished_since_is_cancelled(
    article, followers, line_server, publish
):
    from wagtail.models import Locale

    from articles.factories import approve_revision

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = article.copy_for_translation(english, copy_parents=True)
    translated.title = "[Sample] First vaccinations"
    translated.save()
    revision = translated.save_revision()
    approve_revision(revision)
    revision.publish()
    followers(2, language="en")
    notification = _notify(type(article).objects.get(pk=translated.pk))
    article.summary = "【サンプル】訂正した要約です。"
    article.save_revision()
    publish(article)  # the source moves on: the translation no longer says what it says

    tasks.send_notification(notification.pk)

    assert _multicast_users(line_server) == []
    _assert_cancelled(notification, "The translation is out of date with its source.")
