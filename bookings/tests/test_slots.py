"""Slots from the weekly pattern inside the service's hours, in Asia/Tokyo: holidays, the year-end
closure, exceptions and the day boundary (midnight in Tokyo is 15:00 UTC)."""

import datetime

import pytest

from bookings import slots
from bookings.factories import SessionTypeFactory, weekly
from bookings.models import AvailabilityException, Slot
from guidance.factories import weekday_service
from guidance.models import HolidayRule

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
UTC = datetime.UTC
TOKYO = datetime.timezone(datetime.timedelta(hours=9))


def starts(session_type, day):
    return [start.astimezone(TOKYO).strftime("%H:%M") for start, _end in slots.day_slots(session_type, day)]


def test_a_weekly_pattern_is_cut_into_slots_inside_the_services_hours():
    service = weekday_service(opens=datetime.time(9), closes=datetime.time(11))
    session_type = weekly(
        SessionTypeFactory(service=service, length_minutes=30),
        starts=datetime.time(10),
        ends=datetime.time(12),
    )
    # Tuesday 2 February 2027: the staff offer 10–12, the service is open until 11.
    assert starts(session_type, datetime.date(2027, 2, 2)) == ["10:00", "10:30"]
    # Saturday: the service is closed whatever the pattern says.
    assert starts(session_type, datetime.date(2027, 2, 6)) == []


def test_no_slots_on_a_national_holiday_for_a_service_closed_on_holidays():
    service = weekday_service(holiday_rule=HolidayRule.CLOSED)
    session_type = weekly(SessionTypeFactory(service=service))
    assert starts(session_type, datetime.date(2027, 2, 11)) == []  # 建国記念の日, a Thursday
    assert starts(session_type, datetime.date(2027, 2, 10)) == ["10:00", "10:30", "11:00", "11:30"]
    created = slots.generate(
        session_type, datetime.date(2027, 2, 10), days=3, now=datetime.datetime(2027, 2, 1, tzinfo=UTC)
    )
    assert created == 8  # Wednesday and Friday, not the holiday between them
    assert not Slot.objects.filter(starts_at__date=datetime.date(2027, 2, 11)).exists()


def test_the_year_end_closure_has_no_slots():
    service = weekday_service(days=range(7), year_end_closed=True)
    session_type = weekly(SessionTypeFactory(service=service))
    for day in (datetime.date(2026, 12, 29), datetime.date(2026, 12, 31), datetime.date(2027, 1, 3)):
        assert starts(session_type, day) == [], day
    assert starts(session_type, datetime.date(2026, 12, 28))
    assert starts(session_type, datetime.date(2027, 1, 4))


def test_a_slot_after_midnight_in_tokyo_belongs_to_the_tokyo_day():
    service = weekday_service(days=range(7), all_hours=True)
    session_type = weekly(
        SessionTypeFactory(service=service, length_minutes=30),
        days=[2],
        starts=datetime.time(0),
        ends=datetime.time(1),
    )
    # Wednesday 3 February 2027, 00:00 in Tokyo is Tuesday 15:00 UTC.
    found = slots.day_slots(session_type, datetime.date(2027, 2, 3))
    assert [start.astimezone(UTC) for start, _end in found] == [
        datetime.datetime(2027, 2, 2, 15, tzinfo=UTC),
        datetime.datetime(2027, 2, 2, 15, 30, tzinfo=UTC),
    ]
    # Tuesday in Tokyo has none, though those slots fall on Tuesday in UTC.
    assert slots.day_slots(session_type, datetime.date(2027, 2, 2)) == []
    # Generated "from today" at 14:59 UTC on Tuesday (23:59 Tuesday in Tokyo), one day ahead:
    # Tuesday only in Tokyo, so nothing; at 15:00 UTC it is Wednesday in Tokyo and both slots come.
    assert slots.generate(session_type, days=1, now=datetime.datetime(2027, 2, 2, 14, 59, tzinfo=UTC)) == 0
    assert (
        slots.generate(session_type, days=1, now=datetime.datetime(2027, 2, 2, 14, 59, 59, tzinfo=UTC)) == 0
    )
    assert slots.generate(session_type, days=1, now=datetime.datetime(2027, 2, 2, 15, 0, tzinfo=UTC)) == 1
    # (the 00:00 slot starts at that very moment, so only the 00:30 one is still ahead)


def test_an_exception_replaces_the_pattern_for_its_day():
    session_type = weekly(SessionTypeFactory())
    AvailabilityException.objects.create(session_type=session_type, day=datetime.date(2027, 2, 3))
    AvailabilityException.objects.create(
        session_type=session_type,
        day=datetime.date(2027, 2, 4),
        starts=datetime.time(14),
        ends=datetime.time(15),
    )
    assert starts(session_type, datetime.date(2027, 2, 3)) == []
    assert starts(session_type, datetime.date(2027, 2, 4)) == ["14:00", "14:30"]


def test_generating_again_creates_nothing_new_and_keeps_cancelled_slots_cancelled():
    session_type = weekly(SessionTypeFactory())
    now = datetime.datetime(2027, 2, 1, tzinfo=UTC)
    assert slots.generate(session_type, datetime.date(2027, 2, 2), days=2, now=now) == 8
    Slot.objects.filter(pk=Slot.objects.first().pk).update(status="cancelled")
    assert slots.generate(session_type, datetime.date(2027, 2, 2), days=2, now=now) == 0
    assert Slot.objects.filter(status="cancelled").count() == 1
