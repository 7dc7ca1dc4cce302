"""Nothing lost: the send task retries transient errors, the sweeper recovers what is stuck, LINE's
quota holds a push whole, the outbound rate stays in its budget, the queues are separate."""

import datetime

import pytest
import time_machine
from kombu.exceptions import OperationalError as BrokerError

from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications import kpi, sending, services, tasks
from notifications.backends import get_backends
from notifications.backends.base import ACCEPTED, FAILED, SendResult
from notifications.models import Batch, BatchStatus, Notification, NotificationStatus, QuotaReading
from notifications.ratelimit import RateBudget

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def queued(monkeypatch):
    """Send tasks queued (immediately or for later), recorded instead of sent to a broker."""
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", lambda pk: calls.append(pk))
    monkeypatch.setattr(
        tasks.send_notification, "apply_async", lambda args, countdown=None: calls.append(args[0])
    )
    return calls


@pytest.fixture
def article(new_article, publish, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    return page


def _notify(page, source="test:reliability"):
    return services.issue(source=source, page=page, title=page.title, text=page.summary)


def _later(minutes):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes))


def _multicast_users(line_server):
    return [
        user
        for _m, path, _h, body in line_server.requests
        if path.endswith("multicast")
        for user in body["to"]
    ]


def _fail_first(monkeypatch, module, name, error, times=1):
    """Make ``module.name`` raise ``error`` on its first ``times`` calls, then behave."""
    real = getattr(module, name)
    state = {"left": times}

    def flaky(*args, **kwargs):
        if state["left"]:
            state["left"] -= 1
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)
    return state


# The send task retries transient errors.


def test_send_task_retries_a_locked_database_while_planning_and_sends_once(
    article, followers, line_server, monkeypatch
):
    people = followers(3)
    notification = _notify(article)
    before = kpi.notifications_issued()
    _fail_first(monkeypatch, sending, "plan_batches", OperationalError("database is locked"), times=2)

    tasks.send_notification.apply(args=(notification.pk,))  # eager: a retry runs again at once

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert sorted(_multicast_users(line_server)) == sorted(p.line_user_id for p in people)
    assert kpi.notifications_issued() == before + 1


def test_send_task_retries_a_broker_error(article, followers, line_server, monkeypatch):
    followers(2)
    notification = _notify(article)
    _fail_first(monkeypatch, sending, "send", BrokerError("Connection refused"))

    tasks.send_notification.apply(args=(notification.pk,))

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(_multicast_users(line_server)) == 2


def test_send_task_gives_up_on_a_lasting_error_and_leaves_the_notification_to_the_sweeper(
    article, followers, line_server, monkeypatch
):
    followers(1)
    notification = _notify(article)
    monkeypatch.setattr(tasks, "SEND_MAX_RETRIES", 0)
    monkeypatch.setattr(tasks.send_notification, "max_retries", 1)
    _fail_first(monkeypatch, sending, "send", OperationalError("database is locked"), times=5)

    result = tasks.send_notification.apply(args=(notification.pk,))

    assert isinstance(result.result, OperationalError)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    with _later(3):
        assert sending.stuck_notifications() == [notification.pk]


# A publish survives a broker that does not answer; the sweeper sends what was never queued.


def test_publish_with_the_broker_down_succeeds_and_the_sweeper_sends_it_later(
    new_article, publish, followers, line_server, monkeypatch, django_capture_on_commit_callbacks
):
    people = followers(2)

    def broker_down(pk):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    page = new_article()
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)  # notify_subscribers is ticked: the approval publishes and records a push

    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    queued = []
    monkeypatch.setattr(tasks.send_notification, "delay", queued.append)
    assert tasks.sweep_notifications() == []  # within the grace period it is not yet stuck

    with _later(3):
        assert tasks.sweep_notifications() == [notification.pk]
    assert queued == [notification.pk]
    notification.refresh_from_db()
    assert notification.recoveries == 1
    with translation.override("en"):
        assert "Recovered by the sweeper 1 times" in str(notification.recovery_note())

    tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert sorted(_multicast_users(line_server)) == sorted(p.line_user_id for p in people)


def test_sweeper_resends_a_batch_whose_worker_died_after_line_accepted_it_exactly_once(
    article, followers, line_server, queued
):
    people = followers(3)
    notification = _notify(article)
    before = kpi.notifications_issued()
    # A worker plans, claims and sends the batch, then is killed before it records the result.
    backends = get_backends()
    sending.plan_batches(notification.pk, list(backends))
    [batch] = sending.claim(list(Batch.objects.values_list("pk", flat=True)))
    identifiers = sending.identifiers_for([batch])[batch.pk]
    backends["line"].send(identifiers, sending.content_for(notification, "ja"), batch.retry_key)

    with _later(3):
        assert tasks.sweep_notifications() == []  # the claim's lease has not run out
    with _later(6):
        assert tasks.sweep_notifications() == [notification.pk]
        tasks.send_notification(notification.pk)  # LINE answers 409 for the stored retry key

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.recoveries == 1
    assert set(line_server.delivered.values()) == {1}
    assert set(line_server.delivered) == {p.line_user_id for p in people}
    assert kpi.notifications_issued() == before + 1


def test_an_fcm_batch_sent_but_not_recorded_when_its_lease_ran_out_is_never_sent_again(
    article, devices, fcm_server, queued, monkeypatch
):
    phones = devices(3)
    notification = _notify(article)
    before = kpi.notifications_issued()

    def killed(batch, result):
        raise SystemExit("worker killed after FCM accepted the batch, before recording it")

    monkeypatch.setattr(sending, "record_result", killed)
    with pytest.raises(SystemExit):
        tasks.send_notification(notification.pk)
    monkeypatch.undo()
    assert set(fcm_server.delivered) == {p.token for p in phones}

    with _later(6):  # the claim's lease has run out: the sweeper and the next worker take it
        assert tasks.sweep_notifications() == [notification.pk]
        tasks.send_notification(notification.pk)

    assert set(fcm_server.delivered.values()) == {1}  # FCM has no retry key: once, or twice on the phone
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    batch = Batch.objects.get()
    assert batch.status == BatchStatus.ACCEPTED
    with translation.override(settings.LANGUAGE_CODE):  # written in the worker's language
        note = translation.gettext(
            "Sent by a worker that stopped before recording the result; not sent again."
        )
    assert batch.last_error == note
    assert kpi.notifications_issued() == before + 1


def test_only_the_current_claim_holder_records_a_batch_result_or_sends(article, followers, queued):
    followers(2)
    notification = _notify(article)
    sending.plan_batches(notification.pk, ["line"])
    [stale] = sending.claim(list(Batch.objects.values_list("pk", flat=True)))
    with _later(6):  # the first worker's lease ran out mid-send; a second one takes the batch
        [current] = sending.claim([stale.pk])

        assert not sending.hand_over(stale)  # the stale worker must not send any more
        sending.record_result(stale, SendResult(FAILED, error="stale worker's view"))
        batch = Batch.objects.get()
        assert (batch.status, batch.claim_token, batch.last_error) == (
            BatchStatus.SENDING,
            current.claim_token,
            "",
        )

        sending.record_result(current, SendResult(ACCEPTED, delivered=2))
    batch.refresh_from_db()
    assert (batch.status, batch.recipient_count, batch.last_error) == (BatchStatus.ACCEPTED, 2, "")


def test_an_fcm_batch_that_failed_and_is_retried_by_an_administrator_goes_out_once(
    article, devices, fcm_server, queued, settings
):
    devices(2)
    notification = _notify(article)
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    fcm_server.fail_next(429, 429)  # nothing delivered, and no attempt left: the batch fails
    tasks.send_notification(notification.pk)
    assert Batch.objects.get().status == BatchStatus.FAILED

    assert sending.retry_failed(notification.pk) == 1
    tasks.send_notification(notification.pk)

    assert Batch.objects.get().status == BatchStatus.ACCEPTED
    assert len(fcm_server.delivered) == 2 and set(fcm_server.delivered.values()) == {1}


def test_sweeper_finishes_a_notification_whose_batches_are_done_but_status_is_not(
    article, followers, line_server, queued, monkeypatch
):
    followers(1)
    notification = _notify(article)
    monkeypatch.setattr(sending, "finish", lambda pk: None)  # the worker dies before finishing
    tasks.send_notification(notification.pk)
    monkeypatch.undo()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENDING

    with _later(3):
        assert sending.stuck_notifications() == [notification.pk]
        tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(_multicast_users(line_server)) == 1


def test_sweeper_leaves_sent_skipped_held_and_waiting_notifications_alone(
    article, followers, line_server, queued
):
    followers(1)
    sent = _notify(article, "test:sent")
    tasks.send_notification(sent.pk)
    Notification.objects.create(source="test:held", title="t", text="x", status=NotificationStatus.HELD)
    Notification.objects.create(source="test:skipped", title="t", text="x", status=NotificationStatus.SKIPPED)
    waiting = _notify(article, "test:waiting")
    sending.plan_batches(waiting.pk, ["line"])
    Batch.objects.filter(notification=waiting).update(
        not_before=timezone.now() + datetime.timedelta(minutes=30)
    )

    with _later(10):
        assert sending.stuck_notifications() == []


# LINE's monthly quota: a push is held whole, with the figures, until an administrator releases it.


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw"))
    return client


def test_push_over_the_line_quota_is_held_with_the_figures_and_nothing_is_sent(
    article, followers, line_server, queued
):
    followers(10)
    line_server.quota_limit, line_server.quota_used = 100, 95
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.HELD
    assert "95" in notification.hold_reason and "100" in notification.hold_reason
    assert "10" in notification.hold_reason
    assert _multicast_users(line_server) == []
    assert not notification.batches.exists()
    assert line_server.errors == []
    assert kpi.line_quota()["used"] == 95
    assert kpi.line_quota()["limit"] == 100
    assert sending.stuck_notifications() == []


def test_push_within_the_quota_goes_out(article, followers, line_server, queued):
    followers(5)
    line_server.quota_limit, line_server.quota_used = 100, 95
    notification = _notify(article)

    tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert line_server.quota_used == 100


def test_administrator_releases_a_held_push_and_it_is_sent_whole(
    article, followers, line_server, queued, admin_client, django_capture_on_commit_callbacks
):
    followers(10)
    line_server.quota_limit, line_server.quota_used = 100, 95
    notification = _notify(article)
    tasks.send_notification(notification.pk)
    inspect = admin_client.get(reverse("push_log:inspect", args=[notification.pk]))
    with translation.override("ja"):  # the admin speaks Japanese by default
        assert gettext("Release and send despite the quota") in inspect.content.decode()
    assert reverse("push_log:release", args=[notification.pk]) in inspect.content.decode()

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("push_log:release", args=[notification.pk]))
    assert response.status_code == 302
    assert queued == [notification.pk]
    tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.released_by.username == "admin"
    assert len(_multicast_users(line_server)) == 10


def test_release_refuses_get_and_users_without_permission(article, client, django_user_model, admin_client):
    notification = Notification.objects.create(
        source="test:held", title="t", text="x", status=NotificationStatus.HELD
    )
    assert admin_client.get(reverse("push_log:release", args=[notification.pk])).status_code == 405
    client.force_login(django_user_model.objects.create_user("editor", "e@example.jp", "pw"))
    assert client.post(reverse("push_log:release", args=[notification.pk])).status_code in (302, 403)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.HELD


def test_kpi_panel_shows_the_months_line_consumption(admin_client, line_server, followers):
    line_server.quota_limit, line_server.quota_used = 15000, 1234
    tasks.read_line_quota()

    response = admin_client.get(reverse("wagtailadmin_home"))

    assert QuotaReading.objects.count() == 1
    html = response.content.decode()
    assert "1234" in html and "15000" in html


def test_quota_responses_of_the_fake_match_the_spec(line_server):
    from tests.fakes import openapi

    line_server.quota_limit = 500
    backend = get_backends()["line"]
    try:
        assert backend.quota() == (500, 0)
        line_server.quota_limit = None
        assert backend.quota() == (None, 0)
    finally:
        backend.close()
    spec = openapi.load_spec(str(openapi.find_spec("messaging-api.yml")))
    assert "get" in spec["paths"]["/v2/bot/message/quota"]
    assert "get" in spec["paths"]["/v2/bot/message/quota/consumption"]
    assert line_server.errors == []


# The outbound rate budget, shared through the cache.


class FakeClock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_rate_budget_keeps_every_second_within_its_budget_across_senders():
    clock = FakeClock()
    # Two senders (as two worker processes would) draw from one budget in the shared cache.
    senders = [RateBudget("line-test", per_second=3, clock=clock, sleep=clock.sleep) for _ in range(2)]
    moments = []
    for index in range(10):
        senders[index % 2].acquire()
        moments.append(int(clock.now))

    per_second = {second: moments.count(second) for second in set(moments)}
    assert max(per_second.values()) == 3
    assert len(per_second) == 4  # 10 requests at 3 a second need four seconds


def test_rate_budget_of_zero_means_no_limit():
    clock = FakeClock()
    budget = RateBudget("line-test-unlimited", per_second=0, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        budget.acquire()
    assert clock.now == 1_000.0


# Queues: pushes, webhook work and housekeeping apart.


def test_tasks_run_on_their_own_queues():
    from cms.celery import app

    assert app.conf.task_default_queue == "housekeeping"
    assert tasks.send_notification.queue == "pushes"
    for task in (
        tasks.handle_line_events,
        tasks.fetch_line_profile,
        tasks.send_follow_greeting,
        tasks.send_choice_confirmation,
    ):
        assert task.queue == "webhook"
    route = app.amqp.router.route({}, tasks.sweep_notifications.name)
    assert route["queue"].name == "housekeeping"


def test_beat_runs_the_sweeper_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-sweep"]
    assert entry["task"] == tasks.sweep_notifications.name
    assert entry["schedule"] <= 120


def test_workers_in_make_run_and_the_readme_consume_every_queue():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert "-Q pushes,webhook,housekeeping" in (root / "Makefile").read_text()
    readme = (root / "README.md").read_text()
    consumed = set()
    for line in readme.splitlines():
        if "celery -A cms worker" in line and "-Q" in line:
            consumed |= set(line.split("-Q", 1)[1].split()[0].split(","))
    assert consumed == {"pushes", "webhook", "housekeeping"}
