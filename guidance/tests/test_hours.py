import datetime

from guidance.hours import (
    TOKYO,
    HolidayRule,
    Schedule,
    in_year_end_closure,
    is_national_holiday,
    next_change,
    status,
)

WEEKDAYS = range(5)
SATURDAY, SUNDAY = 5, 6


def at(*args):
    return datetime.datetime(*args, tzinfo=TOKYO)


def office_hours(**kwargs):
    spans = tuple((day, datetime.time(9), datetime.time(17)) for day in WEEKDAYS)
    return Schedule(spans=spans, **kwargs)


def test_office_hours_open_during_the_day_and_closed_at_night():
    # Monday 4 October 2027
    assert status(office_hours(), at(2027, 10, 4, 10, 0)).is_open
    assert status(office_hours(), at(2027, 10, 4, 10, 0)).open_until == at(2027, 10, 4, 17, 0)
    evening = status(office_hours(), at(2027, 10, 4, 17, 0))
    assert not evening.is_open
    assert evening.next_opens == at(2027, 10, 5, 9, 0)


def test_a_friday_evening_next_opens_on_monday():
    closed = status(office_hours(), at(2027, 10, 15, 18, 30))
    assert closed.next_opens == at(2027, 10, 18, 9, 0)


def test_national_holiday_closes_a_weekday_service_and_next_opening_skips_it():
    # Monday 11 October 2027 is Sports Day, a national holiday, from the holidays library.
    assert is_national_holiday(datetime.date(2027, 10, 11))
    holiday = status(office_hours(), at(2027, 10, 11, 10, 0))
    assert not holiday.is_open
    assert holiday.next_opens == at(2027, 10, 12, 9, 0)
    friday_night = status(office_hours(), at(2027, 10, 8, 20, 0))
    assert friday_night.next_opens == at(2027, 10, 12, 9, 0)


def test_substitute_holiday_counts_as_a_holiday():
    # 11 February 2029 is a Sunday, so Monday 12 February is a substitute holiday.
    assert is_national_holiday(datetime.date(2029, 2, 12))
    assert not status(office_hours(), at(2029, 2, 12, 10, 0)).is_open


def test_holiday_with_sunday_hours():
    spans = ((0, datetime.time(9), datetime.time(17)), (SUNDAY, datetime.time(13), datetime.time(16)))
    schedule = Schedule(spans=spans, holiday_rule=HolidayRule.AS_SUNDAY)
    assert not status(schedule, at(2027, 10, 11, 10, 0)).is_open
    assert status(schedule, at(2027, 10, 11, 14, 0)).is_open
    assert status(schedule, at(2027, 10, 11, 10, 0)).next_opens == at(2027, 10, 11, 13, 0)


def test_holiday_with_usual_hours():
    schedule = office_hours(holiday_rule=HolidayRule.AS_USUAL)
    assert status(schedule, at(2027, 10, 11, 10, 0)).is_open


def test_year_end_closure_from_29_december_to_3_january():
    schedule = office_hours(year_end_closed=True, holiday_rule=HolidayRule.AS_USUAL)
    assert in_year_end_closure(datetime.date(2027, 12, 29))
    assert in_year_end_closure(datetime.date(2028, 1, 3))
    assert not in_year_end_closure(datetime.date(2028, 1, 4))
    assert status(schedule, at(2027, 12, 28, 16, 59)).is_open  # Tuesday before the closure
    closed = status(schedule, at(2027, 12, 29, 10, 0))  # a Wednesday
    assert not closed.is_open
    assert closed.next_opens == at(2028, 1, 4, 9, 0)


def test_without_year_end_closure_an_ordinary_weekday_in_the_closure_is_open():
    assert status(office_hours(), at(2027, 12, 29, 10, 0)).is_open


def test_overnight_span_is_open_after_midnight_and_closes_in_the_morning():
    # Every night 22:00 to 06:00 (counselling at night).
    schedule = Schedule(spans=tuple((day, datetime.time(22), datetime.time(6)) for day in range(7)))
    assert status(schedule, at(2027, 10, 5, 23, 59)).is_open
    after_midnight = status(schedule, at(2027, 10, 6, 0, 0))
    assert after_midnight.is_open
    assert after_midnight.open_until == at(2027, 10, 6, 6, 0)
    morning = status(schedule, at(2027, 10, 6, 6, 0))
    assert not morning.is_open
    assert morning.next_opens == at(2027, 10, 6, 22, 0)


def test_a_span_that_starts_on_a_closed_holiday_does_not_run_into_the_next_day():
    schedule = Schedule(spans=tuple((day, datetime.time(22), datetime.time(6)) for day in range(7)))
    # Sunday night into the holiday runs (it started on Sunday); the holiday's own night does not.
    assert status(schedule, at(2027, 10, 11, 2, 0)).is_open
    assert not status(schedule, at(2027, 10, 12, 2, 0)).is_open
    assert status(schedule, at(2027, 10, 11, 23, 0)).next_opens == at(2027, 10, 12, 22, 0)


def test_spans_joined_at_midnight_read_as_one_opening():
    schedule = Schedule(
        spans=(
            (0, datetime.time(18), datetime.time(0)),  # Monday 18:00 to midnight
            (1, datetime.time(0), datetime.time(9)),  # Tuesday midnight to 09:00
        )
    )
    assert status(schedule, at(2027, 10, 4, 20, 0)).open_until == at(2027, 10, 5, 9, 0)


def test_a_24_hour_service_is_always_open_even_on_holidays_and_at_year_end():
    schedule = Schedule(all_hours=True, year_end_closed=False)
    for moment in (at(2027, 10, 11, 3, 0), at(2027, 12, 31, 23, 59), at(2028, 1, 1, 0, 0)):
        result = status(schedule, moment)
        assert result.is_open and result.all_hours and result.open_until is None


def test_a_24_hour_service_with_year_end_closure_next_opens_on_4_january():
    schedule = Schedule(all_hours=True, year_end_closed=True)
    assert status(schedule, at(2027, 12, 28, 23, 59)).open_until == at(2027, 12, 29, 0, 0)
    closed = status(schedule, at(2027, 12, 30, 12, 0))
    assert not closed.is_open and closed.next_opens == at(2028, 1, 4, 0, 0)


def test_status_of_a_utc_moment_is_read_in_tokyo():
    # 00:30 UTC on Monday is 09:30 in Tokyo.
    moment = datetime.datetime(2027, 10, 4, 0, 30, tzinfo=datetime.UTC)
    assert status(office_hours(), moment).is_open


def test_a_service_with_no_hours_has_no_next_opening():
    result = status(Schedule(), at(2027, 10, 4, 10, 0))
    assert not result.is_open and result.next_opens is None


def test_next_change_is_the_closing_time_when_open_and_the_opening_time_when_closed():
    assert next_change(office_hours(), at(2027, 10, 4, 10, 0)) == at(2027, 10, 4, 17, 0)
    assert next_change(office_hours(), at(2027, 10, 4, 17, 0)) == at(2027, 10, 5, 9, 0)
    # Friday evening before Sports Day (Monday 11 October): Tuesday morning.
    assert next_change(office_hours(), at(2027, 10, 8, 20, 0)) == at(2027, 10, 12, 9, 0)


def test_next_change_follows_joined_spans_to_the_real_closing_time():
    schedule = Schedule(
        spans=((0, datetime.time(20), datetime.time(0)), (1, datetime.time(0), datetime.time(9)))
    )
    assert next_change(schedule, at(2027, 10, 4, 21, 0)) == at(2027, 10, 5, 9, 0)


def test_next_change_of_a_24_hour_service_is_when_its_closure_comes_into_sight():
    schedule = Schedule(all_hours=True, year_end_closed=True)
    # Out of sight on 1 December: the lookahead moves on at midnight.
    assert next_change(schedule, at(2027, 12, 1, 12, 0)) == at(2027, 12, 2, 0, 0)
    change = next_change(schedule, at(2027, 12, 8, 12, 0))
    assert change == at(2027, 12, 9, 0, 0)  # 20 days before the 29 December closure
    assert status(schedule, change - datetime.timedelta(seconds=1)).all_hours
    assert status(schedule, change).open_until == at(2027, 12, 29, 0, 0)
    assert next_change(schedule, at(2027, 12, 30, 12, 0)) == at(2028, 1, 4, 0, 0)


def test_next_change_with_nothing_in_sight_is_midnight_when_the_lookahead_moves_on():
    assert next_change(Schedule(), at(2027, 10, 4, 10, 0)) == at(2027, 10, 5, 0, 0)
    assert next_change(Schedule(all_hours=True), at(2027, 10, 4, 10, 0)) == at(2027, 10, 5, 0, 0)
