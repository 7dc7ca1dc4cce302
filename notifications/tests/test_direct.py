"""Direct messages to one follower: recorded and queued on commit, checked at sending, retried
under their retry key, in order per recipient, swept, forgotten once sent, never a notification."""

import datetime

import pytest

from django.utils import timezone

from notifications import direct, tasks
from notifications.messages import Link, QuickReply, Text
from notifications.models import AppDevice, DirectMessage, DirectStatus, Notification

pytestmark = pytest.mark.django_db
USER = "U" + "a" * 32
OTHER = "U" + "b" * 32
CANCEL_REASON = "the booking was cancelled"
cancelled_keys = set()


def still_wanted(row):
    """The check the tests name: cancels rows whose key the test put in ``cancelled_keys``."""
    return CANCEL_REASON if row.key in cancelled_keys else None


CHECK = "notifications.tests.test_direct.still_wanted"


@pytest.fixture(autouse=True)
def run_tasks_now(monkeypatch, settings):
    settings.NOTIFICATIONS_BACKOFF_SECONDS = 0.01
    queued = []
    monkeypatch.setattr(tasks.send_direct, "apply_async", lambda args, **options: queued.append(args[0]))
    cancelled_keys.clear()
    return queued


def message(text="【サンプル】12月5日 10:00 のご予約を承りました。"):
    return [
        Text(
            text,
            links=(Link("予約を確認", "https://example.jp/b/1"),),
            quick_replies=(QuickReply("キャンセル", data="f=booking&b=1&do=cancel"),),
        )
    ]


def record(key="booking:1:confirmation", **kwargs):
    kwargs.setdefault("line_user_id", USER)
    return direct.record(kind="booking.confirmation", key=key, messages=message(), **kwargs)


def test_recorded_then_queued_on_commit_sent_once_and_forgotten(
    line_server, run_tasks_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = record()
    assert run_tasks_now == []  # nothing is queued before the transaction commits
    for callback in callbacks:
        callback()
    assert run_tasks_now == [row.pk]
    assert direct.send(row.pk) is None
    assert not line_server.errors  # the push request matched LINE's spec
    push = line_server.pushes[-1]
    assert push["to"] == USER
    assert push["messages"][0]["quickReply"]["items"][0]["action"]["data"] == "f=booking&b=1&do=cancel"
    row.refresh_from_db()
    assert row.status == DirectStatus.SENT and row.sent_at
    assert row.payload == [] and row.line_user_id is None  # words and user ID forgotten
    # Recording the same key again sends nothing more; sending again sends nothing more.
    assert record().pk == row.pk
    direct.send(row.pk)
    assert len(line_server.pushes) == 1
    assert Notification.objects.count() == 0  # never a notification issued


def test_a_check_cancels_at_the_moment_of_sending(line_server):
    row = record(check=CHECK)
    cancelled_keys.add(row.key)
    direct.send(row.pk)
    row.refresh_from_db()
    assert row.status == DirectStatus.CANCELLED and row.reason == CANCEL_REASON
    assert row.payload == []
    assert line_server.pushes == []


def test_a_misspelt_check_fails_when_recorded():
    with pytest.raises(ImportError):
        record(check="notifications.tests.test_direct.no_such_check")
    assert DirectMessage.objects.count() == 0


def test_transient_failures_are_retried_with_the_same_retry_key(line_server):
    row = record()
    line_server.fail_next(500, 429)
    first = direct.send(row.pk)
    assert first is not None and first > 0
    row.refresh_from_db()
    assert row.status == DirectStatus.PENDING and row.attempts == 1
    DirectMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert direct.send(row.pk) is not None  # 429
    DirectMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert direct.send(row.pk) is None
    keys = [
        headers.get("X-Line-Retry-Key")
        for method, path, headers, body in line_server.requests
        if path == "/v2/bot/message/push"
    ]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert DirectMessage.objects.get(pk=row.pk).status == DirectStatus.SENT


def test_a_resend_lines_already_accepted_counts_as_sent(line_server):
    row = record()
    line_server.fail_next(409)
    direct.send(row.pk)
    assert DirectMessage.objects.get(pk=row.pk).status == DirectStatus.SENT


def test_a_final_refusal_fails_and_forgets(line_server):
    row = record()
    line_server.fail_next(400)
    direct.send(row.pk)
    row.refresh_from_db()
    assert row.status == DirectStatus.FAILED and row.line_user_id is None and row.payload == []


def test_messages_to_one_recipient_go_in_the_order_recorded(line_server):
    first = direct.record(kind="consult.reply", key="c:1", messages=[Text("一通目")], line_user_id=USER)
    second = direct.record(kind="consult.reply", key="c:2", messages=[Text("二通目")], line_user_id=USER)
    elsewhere = direct.record(
        kind="consult.reply", key="c:3", messages=[Text("別の人へ")], line_user_id=OTHER
    )
    line_server.fail_next(500)
    direct.send(first.pk)  # fails transiently: the second must wait behind it
    direct.send(second.pk)
    direct.send(elsewhere.pk)  # another recipient is not held up
    assert [p["messages"][0]["text"] for p in line_server.pushes] == ["別の人へ"]
    DirectMessage.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    direct.send(first.pk)  # sends the first, then the second behind it
    assert [p["messages"][0]["text"] for p in line_server.pushes] == ["別の人へ", "一通目", "二通目"]


def test_a_reminder_waits_for_its_time_and_the_sweeper_sends_it(line_server, run_tasks_now):
    later = timezone.now() + datetime.timedelta(days=1)
    row = record(key="booking:1:reminder-day", not_before=later)
    assert direct.send(row.pk) is None
    assert line_server.pushes == []
    assert direct.sweep() == []
    assert direct.sweep(now=later + datetime.timedelta(seconds=1)) == [row.pk]
    DirectMessage.objects.filter(pk=row.pk).update(not_before=timezone.now())
    direct.send(row.pk)
    assert len(line_server.pushes) == 1


def test_a_pending_message_can_be_cancelled_but_not_a_sent_one(line_server):
    row = record(key="booking:1:reminder-hour", not_before=timezone.now() + datetime.timedelta(hours=3))
    assert direct.cancel(row.key, reason="cancelled by the family")
    assert not direct.cancel(row.key)
    assert DirectMessage.objects.get(pk=row.pk).status == DirectStatus.CANCELLED


def test_the_sweeper_recovers_a_row_left_sending_and_resends_with_its_key(line_server):
    row = record()
    stale = timezone.now() - direct.LEASE - datetime.timedelta(seconds=1)
    DirectMessage.objects.filter(pk=row.pk).update(
        status=DirectStatus.SENDING,
        claimed_at=stale,
        claim_token="00000000-0000-0000-0000-000000000001",
        attempts=1,
    )
    assert direct.sweep() == [row.pk]
    direct.send(row.pk)
    row.refresh_from_db()
    assert row.status == DirectStatus.SENT
    assert line_server.pushes[-1]["to"] == USER
    # The dead worker's late result changes nothing: it no longer holds the claim.
    assert direct._finish(row.pk, "00000000-0000-0000-0000-000000000001", status=DirectStatus.FAILED) == 0


def test_an_app_device_gets_one_notification(fcm_server):
    device = AppDevice.objects.create(token="fcm-token-" + "x" * 20, platform="android", language="ja")
    row = direct.record(
        kind="booking.confirmation", key="b:fcm", messages=message(), device=device, title="ご予約"
    )
    direct.send(row.pk)
    row.refresh_from_db()
    assert row.status == DirectStatus.SENT and row.device is None
    assert fcm_server.messages[-1]["notification"]["title"] == "ご予約"


def test_one_recipient_only():
    with pytest.raises(ValueError):
        direct.record(kind="x", key="x", messages=message())


def test_administrators_see_what_was_sent_but_never_its_words(client, django_user_model, line_server):
    row = record()
    direct.send(row.pk)
    admin = django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")
    client.force_login(admin)
    response = client.get("/admin/direct-messages/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "booking.confirmation" in page
    assert "ご予約を承りました" not in page and USER not in page
    assert client.get(f"/admin/direct-messages/edit/{row.pk}/").status_code in (302, 403)


def test_editors_do_not_see_direct_messages(client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    editor = django_user_model.objects.create_user("sample-editor", password="sample-password")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    Group.objects.get_or_create(name="Editors")
    client.force_login(editor)
    assert client.get("/admin/direct-messages/").status_code in (302, 403)
