"""Booking is one conditional write; cancel and move are conditional updates; each records its
messages in the same transaction, with the reminders' check deciding at sending time."""

import datetime

import pytest

from bookings import checks, services
from bookings.factories import BookingFactory, SessionTypeFactory, SlotFactory
from bookings.models import Booking, BookingStatus, Channel, Mode, SlotStatus

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
UTC = datetime.UTC
NOW = datetime.datetime(2027, 2, 1, 1, tzinfo=UTC)  # Monday 10:00 in Tokyo


def slot_at(hours, **fields):
    return SlotFactory(starts_at=NOW + datetime.timedelta(hours=hours), **fields)


def test_one_family_gets_a_slot_and_the_next_is_told_it_is_gone(direct):
    slot = slot_at(48)
    first = services.book(slot.pk, channel=Channel.LINE, line_user_id="U1", now=NOW)
    assert first.status == BookingStatus.BOOKED
    with pytest.raises(services.SlotGone):
        services.book(slot.pk, channel=Channel.LINE, line_user_id="U2", now=NOW)
    assert Booking.objects.count() == 1
    assert services.open_slots(slot.session_type, now=NOW) == []


def test_the_same_line_event_books_once(direct):
    slot = slot_at(48)
    first = services.book(slot.pk, channel=Channel.LINE, line_user_id="U1", webhook_event_id="E1", now=NOW)
    again = services.book(slot.pk, channel=Channel.LINE, line_user_id="U1", webhook_event_id="E1", now=NOW)
    assert again.pk == first.pk and Booking.objects.count() == 1


def test_a_slot_outside_the_window_or_cancelled_cannot_be_booked(direct):
    session_type = SessionTypeFactory(days_ahead=3)
    for slot in (
        slot_at(0.25, session_type=session_type),  # sooner than the lead time
        slot_at(24 * 5, session_type=session_type),  # beyond the days ahead
        slot_at(24, session_type=session_type, status=SlotStatus.CANCELLED),
    ):
        with pytest.raises(services.SlotGone):
            services.book(slot.pk, channel=Channel.SITE, contact="a@example.jp", now=NOW)
    assert not Booking.objects.exists()


def test_confirmation_and_reminders_are_recorded_with_a_check(direct):
    slot = slot_at(48, session_type=SessionTypeFactory(mode=Mode.VIDEO))
    booking = services.book(slot.pk, channel=Channel.LINE, line_user_id="U1", now=NOW)
    prefix = f"booking:{booking.pk}:{slot.pk}:"
    assert set(direct.rows) == {prefix + "confirmation", prefix + "reminder-day", prefix + "reminder-hour"}
    assert direct.rows[prefix + "reminder-day"]["not_before"] == slot.starts_at - datetime.timedelta(days=1)
    assert direct.rows[prefix + "reminder-hour"]["not_before"] == slot.starts_at - datetime.timedelta(hours=1)
    assert all(row["check"] == "bookings.checks.still_wanted" for row in direct.rows.values())
    assert booking.number in direct.texts()[prefix + "confirmation"]


def test_a_site_booking_records_no_line_message(direct):
    slot = slot_at(48)
    services.book(slot.pk, channel=Channel.SITE, contact="090-1234-5678", now=NOW)
    assert direct.rows == {}


def test_cancelling_opens_the_slot_again_and_withdraws_the_reminders(direct):
    slot = slot_at(48)
    booking = services.book(slot.pk, channel=Channel.LINE, line_user_id="U1", now=NOW)
    assert services.cancel(booking, now=NOW)
    assert not services.cancel(booking, now=NOW)  # a second tap changes nothing
    assert f"booking:{booking.pk}:{slot.pk}:reminder-day" in direct.cancelled
    assert services.open_slots(slot.session_type, now=NOW) == [slot]
    assert (
        services.book(slot.pk, channel=Channel.LINE, line_user_id="U2", now=NOW).status
        == BookingStatus.BOOKED
    )


def test_a_family_cannot_cancel_after_the_cancel_by_time(direct):
    slot = slot_at(2, session_type=SessionTypeFactory(cancel_hours=3))
    booking = BookingFactory(slot=slot)
    with pytest.raises(services.TooLate):
        services.cancel(booking, now=NOW)
    assert services.cancel(booking, now=NOW, by_family=False)  # the service still can


def test_moving_keeps_the_number_and_re_records_the_reminders(direct):
    session_type = SessionTypeFactory()
    first, second = slot_at(48, session_type=session_type), slot_at(72, session_type=session_type)
    booking = services.book(first.pk, channel=Channel.LINE, line_user_id="U1", now=NOW)
    moved = services.move(booking, second.pk, now=NOW)
    assert moved.number == booking.number and moved.slot == second
    assert f"booking:{booking.pk}:{first.pk}:reminder-day" in direct.cancelled
    assert f"booking:{booking.pk}:{second.pk}:reminder-day" in direct.rows
    assert services.open_slots(session_type, now=NOW) == [first]


def test_moving_to_a_taken_slot_changes_nothing(direct):
    session_type = SessionTypeFactory()
    first, second = slot_at(48, session_type=session_type), slot_at(72, session_type=session_type)
    booking = BookingFactory(slot=first)
    BookingFactory(slot=second)
    with pytest.raises(services.SlotGone):
        services.move(booking, second.pk, now=NOW)
    booking.refresh_from_db()
    assert booking.slot == first


def test_the_service_cancelling_a_slot_tells_the_family_and_offers_next_times(direct):
    session_type = SessionTypeFactory()
    slot, other = slot_at(48, session_type=session_type), slot_at(72, session_type=session_type)
    booking = services.book(slot.pk, channel=Channel.LINE, line_user_id="U1", now=NOW)
    assert services.cancel_slot(slot, now=NOW) == booking
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SERVICE_CANCELLED
    told = direct.rows[f"booking:{booking.pk}:{slot.pk}:service-cancelled"]
    assert [q.data for q in told["messages"][0].quick_replies] == [f"f=booking&s={other.pk}"]
    assert services.open_slots(session_type, now=NOW) == [other]


class Row:
    def __init__(self, key):
        self.key = key


def test_the_check_cancels_reminders_of_cancelled_or_moved_bookings(direct):
    session_type = SessionTypeFactory()
    first, second = slot_at(48, session_type=session_type), slot_at(72, session_type=session_type)
    booking = services.book(first.pk, channel=Channel.LINE, line_user_id="U1", now=NOW)
    assert checks.still_wanted(Row(f"booking:{booking.pk}:{first.pk}:reminder-day")) is None
    services.move(booking, second.pk, now=NOW)
    assert checks.still_wanted(Row(f"booking:{booking.pk}:{first.pk}:reminder-day")) == "booking moved"
    services.cancel(booking, now=NOW)
    assert checks.still_wanted(Row(f"booking:{booking.pk}:{second.pk}:reminder-day")) == "booking cancelled"
    assert checks.still_wanted(Row("booking:nonsense")) == "booking not found"


def test_marking_attended_or_no_show(direct):
    booking = BookingFactory()
    assert services.mark(booking, BookingStatus.ATTENDED)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    with pytest.raises(ValueError):
        services.mark(booking, BookingStatus.CANCELLED)


def test_the_nightly_task_forgets_links_and_past_line_ids(direct):
    from bookings import links, tasks
    from bookings.models import BookingLink

    past = BookingFactory(slot=slot_at(-72), channel=Channel.LINE, line_user_id="U1")
    ahead = BookingFactory(slot=slot_at(48), channel=Channel.LINE, line_user_id="U2")
    links.booking_link(ahead.slot.session_type, "U2", "ja")
    tasks.forget(now=NOW + datetime.timedelta(hours=2))
    past.refresh_from_db()
    ahead.refresh_from_db()
    assert (past.line_user_id, ahead.line_user_id) == ("", "U2")
    assert not BookingLink.objects.exists()
