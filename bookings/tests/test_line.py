"""Booking on LINE through the signed webhook and the fake LINE server (spec-checked): 「予約」, the
open times as quick replies, confirm in one more tap; cancel and reschedule from the buttons."""

import datetime
import re
from urllib.parse import parse_qs

import pytest

from django.utils import timezone

from bookings.conversation import BookingHandler
from bookings.factories import SessionTypeFactory, SlotFactory
from bookings.models import Booking, BookingLink, BookingStatus
from guidance.conversation import Incoming
from guidance.models import BotReply, Route
from notifications.tests import line_bodies as lb

pytestmark = pytest.mark.django_db
USER = lb.user_id()


@pytest.fixture
def open_times():
    session_type = SessionTypeFactory()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    return [
        SlotFactory(session_type=session_type, starts_at=start + datetime.timedelta(hours=hour))
        for hour in range(3)
    ]


def quick(bot):
    return [item["action"] for item in bot.last_reply()[0].get("quickReply", {}).get("items", [])]


def test_yoyaku_answers_with_the_next_open_times_and_a_signed_link(bot, direct, open_times):
    bot.say("予約", user=USER)
    actions = quick(bot)
    assert [action["data"] for action in actions] == [f"f=booking&s={slot.pk}" for slot in open_times]
    assert all(len(action["label"]) <= 20 for action in actions)
    link = re.search(r"http\S+/booking/line/(\S+)/", bot.reply_text())
    assert link, bot.reply_text()
    assert USER not in bot.reply_text()  # the link names a nonce, never the follower
    assert BookingLink.objects.get().line_user_id == USER
    assert BotReply.objects.get().route == Route.BOOKING


def test_a_tap_on_a_time_asks_and_one_more_tap_books_it(bot, direct, open_times):
    slot = open_times[0]
    bot.tap(f"f=booking&s={slot.pk}", user=USER)
    assert quick(bot)[0]["data"] == f"f=booking&c={slot.pk}"
    replies = len(bot.server.replies)
    bot.tap(f"f=booking&c={slot.pk}", user=USER)
    booking = Booking.objects.get()
    assert (booking.slot, booking.line_user_id, booking.status) == (slot, USER, BookingStatus.BOOKED)
    assert booking.webhook_event_id
    # The confirmation goes through the outbox, not the reply.
    assert len(bot.server.replies) == replies
    assert booking.number in direct.texts()[f"booking:{booking.pk}:{slot.pk}:confirmation"]


def test_the_same_event_handled_twice_books_once(direct, open_times):
    incoming = Incoming(
        language="ja",
        line_user_id=USER,
        postback={"f": "booking", "c": str(open_times[0].pk)},
        webhook_event_id="E1",
    )
    BookingHandler().handle(incoming)
    BookingHandler().handle(incoming)
    assert Booking.objects.count() == 1


def test_a_time_taken_meanwhile_is_answered_with_the_next_ones(bot, direct, open_times):
    bot.tap(f"f=booking&c={open_times[0].pk}", user=lb.user_id())
    bot.tap(f"f=booking&c={open_times[0].pk}", user=USER)
    assert [action["data"] for action in quick(bot)] == [f"f=booking&s={slot.pk}" for slot in open_times[1:]]
    assert Booking.objects.count() == 1


def test_cancel_in_one_tap_opens_the_slot_again(bot, direct, open_times):
    bot.tap(f"f=booking&c={open_times[0].pk}", user=USER)
    booking = Booking.objects.get()
    bot.tap(f"f=booking&x={booking.pk}", user=USER)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.number in bot.reply_text()
    bot.say("予約", user=USER)
    assert f"f=booking&s={open_times[0].pk}" in [action["data"] for action in quick(bot)]


def test_reschedule_from_the_reminder_moves_the_booking(bot, direct, open_times):
    bot.tap(f"f=booking&c={open_times[0].pk}", user=USER)
    booking = Booking.objects.get()
    bot.tap(f"f=booking&r={booking.pk}", user=USER)
    offered = [action["data"] for action in quick(bot)]
    assert offered == [f"f=booking&s={slot.pk}&r={booking.pk}" for slot in open_times[1:]]
    bot.tap(offered[0], user=USER)
    confirm = quick(bot)[0]["data"]
    assert parse_qs(confirm) == {"f": ["booking"], "c": [str(open_times[1].pk)], "r": [str(booking.pk)]}
    bot.tap(confirm, user=USER)
    booking.refresh_from_db()
    assert booking.slot == open_times[1] and booking.status == BookingStatus.BOOKED
    assert f"booking:{booking.pk}:{open_times[0].pk}:reminder-day" in direct.cancelled


def test_nobody_changes_another_familys_booking(bot, direct, open_times):
    bot.tap(f"f=booking&c={open_times[0].pk}", user=USER)
    booking = Booking.objects.get()
    bot.tap(f"f=booking&x={booking.pk}", user=lb.user_id())
    bot.tap(f"f=booking&r={booking.pk}", user=lb.user_id())
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_crisis_check_comes_before_booking(bot, direct, open_times, approved_crisis_reply):
    bot.say("予約 もう死にたい", user=USER)
    assert "サンプル承認文" in bot.reply_text()
    assert BotReply.objects.get().route == Route.CRISIS


@pytest.fixture
def queued_direct(monkeypatch, settings):
    from notifications import tasks

    settings.NOTIFICATIONS_BACKOFF_SECONDS = 0.01
    queued = []
    monkeypatch.setattr(tasks.send_direct, "apply_async", lambda args, **options: queued.append(args[0]))
    return queued


def rows(kind):
    from notifications.models import DirectMessage

    return DirectMessage.objects.filter(kind=kind).order_by("pk")


def test_confirmation_and_reminder_reach_the_fake_line_and_a_tap_reschedules(
    bot, queued_direct, open_times, time_machine
):
    from notifications import direct
    from notifications.models import DirectStatus, Notification

    bot.tap(f"f=booking&c={open_times[0].pk}", user=USER)
    booking = Booking.objects.get()
    confirmation = rows("booking.confirmation").get()
    assert confirmation.pk in queued_direct  # queued on commit, due now
    direct.send(confirmation.pk)
    assert not bot.server.errors  # the push matched LINE's spec
    push = bot.server.pushes[-1]
    assert push["to"] == USER and booking.number in push["messages"][0]["text"]
    buttons = [item["action"]["data"] for item in push["messages"][0]["quickReply"]["items"]]
    assert buttons == [f"f=booking&r={booking.pk}", f"f=booking&x={booking.pk}"]
    # The day before, the reminder goes (the sweeper would find it due).
    reminder = rows("booking.reminder-day").get()
    direct.send(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == DirectStatus.PENDING  # not before its time
    time_machine.move_to(open_times[0].starts_at - datetime.timedelta(hours=23))
    direct.send(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == DirectStatus.SENT
    reminded = bot.server.pushes[-1]["messages"][0]
    # One tap from the reminder: another time; then the time and the confirmation.
    bot.tap(reminded["quickReply"]["items"][0]["action"]["data"], user=USER)
    bot.tap(quick(bot)[1]["data"], user=USER)  # the later time, whose reminder is still ahead
    bot.tap(quick(bot)[0]["data"], user=USER)
    booking.refresh_from_db()
    assert booking.slot == open_times[2]
    moved = rows("booking.confirmation").last()
    direct.send(moved.pk)
    assert booking.number in bot.server.pushes[-1]["messages"][0]["text"]
    # Cancel from the new confirmation's button: its reminder is withdrawn, never sent.
    bot.tap(f"f=booking&x={booking.pk}", user=USER)
    new_reminder = rows("booking.reminder-day").last()
    assert new_reminder.key.endswith(f":{open_times[2].pk}:reminder-day")
    assert new_reminder.status == DirectStatus.CANCELLED
    assert Notification.objects.count() == 0  # not counted as notifications issued


def test_a_session_the_service_cancels_tells_the_family_with_next_times(bot, queued_direct, open_times):
    from bookings import services
    from notifications import direct

    bot.tap(f"f=booking&c={open_times[0].pk}", user=USER)
    direct.send(rows("booking.confirmation").get().pk)
    services.cancel_slot(open_times[0])
    told = rows("booking.service-cancelled").get()
    direct.send(told.pk)
    message = bot.server.pushes[-1]["messages"][0]
    assert [item["action"]["data"] for item in message["quickReply"]["items"]] == [
        f"f=booking&s={slot.pk}" for slot in open_times[1:]
    ]
    # The reminder of the cancelled session never goes.
    assert rows("booking.reminder-day").get().status == "cancelled"
