"""Opening hours in Asia/Tokyo: open now, open until, next opening.

A service's week is a list of spans ``(weekday, opens, closes)``; a span whose ``closes`` is not
after ``opens`` runs past midnight into the next day (``22:00–06:00``), and ``00:00–00:00`` is the
whole day. National holidays come from the maintained ``holidays`` library; the year-end closure
(29 December to 3 January, as Japanese public offices keep it) applies to services that observe it.
A span belongs to the day it starts on: the rules of that day decide whether it runs.
"""

import datetime
import functools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

TOKYO = ZoneInfo("Asia/Tokyo")
SUNDAY = 6
# How far ahead "next opens" looks; a service closed longer than this shows no next opening.
LOOKAHEAD_DAYS = 21
# Open without a break for longer than this reads "open 24 hours" rather than "open until".
ALWAYS_OPEN = datetime.timedelta(days=LOOKAHEAD_DAYS - 1)


class HolidayRule:
    CLOSED = "closed"
    AS_SUNDAY = "sunday"
    AS_USUAL = "usual"


@functools.cache
def _japanese_holidays():
    return holidays.country_holidays("JP")


def is_national_holiday(day):
    """Whether ``day`` is a Japanese national holiday (including substitute holidays)."""
    return day in _japanese_holidays()


def in_year_end_closure(day):
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


@dataclass(frozen=True)
class Schedule:
    """When a service answers. ``spans`` are ``(weekday 0=Monday…6=Sunday, opens, closes)``."""

    spans: tuple = ()
    all_hours: bool = False
    holiday_rule: str = HolidayRule.CLOSED
    year_end_closed: bool = False


@dataclass(frozen=True)
class Status:
    """Whether a service is open at a moment, until when, and when it next opens."""

    is_open: bool
    all_hours: bool = False
    open_until: datetime.datetime | None = None
    next_opens: datetime.datetime | None = None
    today: list = field(default_factory=list)


def day_intervals(schedule, day):
    """The intervals ``[start, end)`` (aware, Asia/Tokyo) that start on ``day``."""
    if schedule.year_end_closed and in_year_end_closure(day):
        return []
    start_of_day = datetime.datetime.combine(day, datetime.time(0), tzinfo=TOKYO)
    if schedule.all_hours:
        return [(start_of_day, start_of_day + datetime.timedelta(days=1))]
    weekday = day.weekday()
    if is_national_holiday(day):
        if schedule.holiday_rule == HolidayRule.CLOSED:
            return []
        if schedule.holiday_rule == HolidayRule.AS_SUNDAY:
            weekday = SUNDAY
    intervals = []
    for span_weekday, opens, closes in schedule.spans:
        if span_weekday != weekday:
            continue
        start = datetime.datetime.combine(day, opens, tzinfo=TOKYO)
        end_day = day if closes > opens else day + datetime.timedelta(days=1)
        intervals.append((start, datetime.datetime.combine(end_day, closes, tzinfo=TOKYO)))
    return sorted(intervals)


def _intervals_from(schedule, first_day, days):
    for offset in range(days):
        yield from day_intervals(schedule, first_day + datetime.timedelta(days=offset))


def _read(schedule, at):
    """The :class:`Status` at ``at`` and, when open, the real closing time it runs to."""
    at = at.astimezone(TOKYO)
    yesterday = at.date() - datetime.timedelta(days=1)
    intervals = sorted(_intervals_from(schedule, yesterday, LOOKAHEAD_DAYS + 1))
    current = next((interval for interval in intervals if interval[0] <= at < interval[1]), None)
    today = [interval for interval in intervals if interval[0].date() == at.date()]
    if current is None:
        upcoming = next((start for start, _end in intervals if start > at), None)
        return Status(is_open=False, next_opens=upcoming, today=today), None
    # Follow spans that join end to start (23:00–24:00 then 00:00–02:00) to the real closing time.
    until = current[1]
    for start, end in intervals:
        if start <= until < end:
            until = end
    always = until - at > ALWAYS_OPEN
    return Status(is_open=True, all_hours=always, open_until=None if always else until, today=today), until


def status(schedule, at):
    """The :class:`Status` of ``schedule`` at the aware datetime ``at``."""
    return _read(schedule, at)[0]


def next_change(schedule, at):
    """The first moment after ``at`` at which :func:`status` may read otherwise (the page cache's
    moment, see guidance.moments).

    Open: when it closes; closed: when it opens. Open round the clock as far as the lookahead sees:
    when its next closing comes within ``LOOKAHEAD_DAYS - 1`` days and "24 hours" becomes "until".
    Closed with no opening in sight: at midnight, when the lookahead reaches one more day.
    """
    at = at.astimezone(TOKYO)
    current, until = _read(schedule, at)
    if current.is_open:
        return until - ALWAYS_OPEN if current.all_hours else current.open_until
    return current.next_opens or datetime.datetime.combine(
        at.date() + datetime.timedelta(days=1), datetime.time(0), tzinfo=TOKYO
    )
