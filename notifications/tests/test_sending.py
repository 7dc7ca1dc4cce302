"""The send task against the fake LINE and FCM servers, with the real line-bot-sdk and
firebase-admin: batches, retry keys, failures and recoveries, exactly once, counted once."""

import datetime

import pytest
import time_machine

from django.utils import timezone

from notifications import kpi, sending, services, tasks
from notifications.models import (
    AppDevice,
    Batch,
    BatchStatus,
    Notification,
    NotificationStatus,
    RecordedMessage,
)

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    """The task queues itself for later retries; here the test decides when the next run happens."""
    requeued = []
    monkeypatch.setattr(
        tasks.send_notification, "apply_async", lambda args, countdown: requeued.append((args, countdown))
    )
    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args: None)
    return requeued


@pytest.fixture
def article(new_article, publish):
    page = new_article(notify_subscribers=False)
    publish(page)
    return page


def _notify(page, source="test:push", **kwargs):
    return services.issue(source=source, page=page, title=page.title, text=page.summary, **kwargs)


def _later(minutes):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes))


def test_one_notification_reaches_every_follower_once_in_batches_of_500(article, followers, line_server):
    followers(1201)
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    assert line_server.errors == []
    multicasts = [r for r in line_server.requests if r[1] == "/v2/bot/message/multicast"]
    assert sorted(len(body["to"]) for _m, _p, _h, body in multicasts) == [201, 500, 500]
    assert len(line_server.delivered) == 1201
    assert set(line_server.delivered.values()) == {1}
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.recipient_counts() == {"line": 1201, "fcm": 0}
    assert kpi.notifications_issued(kpi.fiscal_year_of(timezone.now())) == 1


def test_each_batch_sends_the_retry_key_it_stored_before_the_first_attempt(article, followers, line_server):
    followers(3)
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    batch = Batch.objects.get(notification=notification)
    (_method, _path, headers, body) = line_server.requests[-1]
    assert headers["X-Line-Retry-Key"] == str(batch.retry_key)
    message = body["messages"][0]
    assert message["type"] == "flex"
    assert message["altText"].startswith(article.title)
    assert message["contents"]["footer"]["contents"][0]["action"]["uri"].startswith("http")


def test_followers_receive_the_audience_of_the_article_only(article, followers, line_server):
    from notifications.models import LineFollower

    chosen = followers(2, stage_chosen=True, life_stage="age_3_6")
    undecided = followers(2)
    notification = _notify(article, life_stages=["age_0_1"])

    tasks.send_notification(notification.pk)

    assert set(line_server.delivered) == {f.line_user_id for f in undecided}
    assert not set(line_server.delivered) & {f.line_user_id for f in chosen}
    assert LineFollower.objects.count() == 4


def test_task_run_twice_sends_once(article, followers, line_server):
    followers(700)
    notification = _notify(article)

    tasks.send_notification(notification.pk)
    tasks.send_notification(notification.pk)

    assert len(line_server.delivered) == 700
    assert set(line_server.delivered.values()) == {1}
    assert len([r for r in line_server.requests if r[1].endswith("multicast")]) == 2


def test_line_failing_then_recovering_delivers_once_and_counts_once(
    article, followers, line_server, no_requeue
):
    followers(1000)
    notification = _notify(article)
    line_server.fail_next(500, 429)

    tasks.send_notification(notification.pk)

    assert len(line_server.delivered) == 0
    assert Batch.objects.filter(status=BatchStatus.PENDING).count() == 2
    assert no_requeue, "the task queues itself for the retry"
    assert kpi.notifications_issued() == 0

    with _later(30):
        tasks.send_notification(notification.pk)

    assert len(line_server.delivered) == 1000
    assert set(line_server.delivered.values()) == {1}
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert kpi.notifications_issued(kpi.fiscal_year_of(notification.first_accepted_at)) == 1


def test_a_timeout_after_line_accepted_is_resent_with_the_same_key_and_409_counts_as_sent(
    article, followers, line_server, short_line_timeout
):
    followers(10)
    notification = _notify(article)
    line_server.fail_next("timeout")

    tasks.send_notification(notification.pk)
    batch = Batch.objects.get()
    assert batch.status == BatchStatus.PENDING

    with _later(30):
        tasks.send_notification(notification.pk)

    keys = [h["X-Line-Retry-Key"] for _m, path, h, _b in line_server.requests if path.endswith("multicast")]
    assert keys == [str(batch.retry_key)] * 2
    assert set(line_server.delivered.values()) == {1}
    assert len(line_server.delivered) == 10
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ACCEPTED
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_a_client_error_fails_the_batch_with_a_clear_reason_and_is_not_retried(
    article, followers, line_server
):
    followers(10)
    notification = _notify(article)
    line_server.fail_next(400)

    tasks.send_notification(notification.pk)
    with _later(30):
        tasks.send_notification(notification.pk)

    batch = Batch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert "LINE 400" in batch.last_error
    assert batch.attempts == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.first_accepted_at is None


def test_transient_errors_give_up_after_the_maximum_attempts(article, followers, line_server, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    followers(5)
    notification = _notify(article)
    line_server.fail_next(503, 503)

    tasks.send_notification(notification.pk)
    with _later(30):
        tasks.send_notification(notification.pk)

    batch = Batch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert "2" in batch.last_error


def test_worker_killed_mid_fan_out_loses_nothing_and_sends_nothing_twice(
    article, followers, line_server, monkeypatch
):
    followers(2500)  # five batches
    notification = _notify(article)
    record = sending.record_result
    recorded = []

    def die_after_two(batch, result):
        if len(recorded) == 2:
            raise SystemExit("worker killed")
        recorded.append(batch.pk)
        record(batch, result)

    monkeypatch.setattr(sending, "record_result", die_after_two)
    with pytest.raises(SystemExit):
        tasks.send_notification(notification.pk)
    monkeypatch.setattr(sending, "record_result", record)

    # Redelivered at once (acks_late): batches the dead worker claimed are left alone...
    tasks.send_notification(notification.pk)
    assert Batch.objects.filter(status=BatchStatus.SENDING).exists()
    # ...until their lease runs out; then they go again with their stored keys.
    with _later(10):
        tasks.send_notification(notification.pk)

    assert len(line_server.delivered) == 2500
    assert set(line_server.delivered.values()) == {1}
    assert line_server.errors == []
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.recipient_counts()["line"] == 2500
    assert kpi.notifications_issued(kpi.fiscal_year_of(notification.first_accepted_at)) == 1


def test_an_unfollow_between_planning_and_sending_is_respected(article, followers, line_server, monkeypatch):
    from notifications.models import LineFollower

    people = followers(3)
    notification = _notify(article)
    sending.plan_batches(notification.pk, ["line"])
    LineFollower.objects.filter(pk=people[0].pk).update(line_user_id=None, status="inactive")

    tasks.send_notification(notification.pk)

    assert set(line_server.delivered) == {p.line_user_id for p in people[1:]}


def test_app_devices_receive_through_fcm_and_unregistered_tokens_are_deactivated(
    article, devices, fcm_server, line_server
):
    phones = devices(4)
    fcm_server.unregistered.add(phones[0].token)
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    assert fcm_server.errors == []
    assert set(fcm_server.delivered) == {p.token for p in phones[1:]}
    assert AppDevice.objects.active().count() == 3
    notification.refresh_from_db()
    assert notification.recipient_counts() == {"line": 0, "fcm": 3}
    assert notification.status == NotificationStatus.SENT
    assert fcm_server.messages[0]["notification"]["title"] == article.title


def test_fcm_batch_failing_entirely_is_retried_and_never_resent_once_accepted(article, devices, fcm_server):
    devices(2)
    notification = _notify(article)
    # firebase-admin itself retries 500/503 a few times; 429 reaches us.
    fcm_server.fail_next(429, 429)

    tasks.send_notification(notification.pk)
    assert Batch.objects.get().status == BatchStatus.PENDING
    with _later(30):
        tasks.send_notification(notification.pk)
        tasks.send_notification(notification.pk)

    assert set(fcm_server.delivered.values()) == {1}
    assert len(fcm_server.delivered) == 2


def test_without_credentials_messages_are_recorded_not_sent_and_not_counted(article, followers, devices):
    followers(3)
    devices(2)
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.recorded_only
    assert RecordedMessage.objects.count() == 2
    assert RecordedMessage.objects.get(channel="line").payload["title"] == article.title
    assert notification.first_accepted_at is None
    assert kpi.notifications_issued() == 0


def test_retry_failed_puts_failed_batches_back_with_their_keys(article, followers, line_server):
    followers(5)
    notification = _notify(article)
    line_server.fail_next(400)
    tasks.send_notification(notification.pk)
    key = Batch.objects.get().retry_key

    assert sending.retry_failed(notification.pk) == 1
    tasks.send_notification(notification.pk)

    batch = Batch.objects.get()
    assert batch.status == BatchStatus.ACCEPTED
    assert batch.retry_key == key
    assert len(line_server.delivered) == 5
