"""Slots from a session type's weekly pattern and exceptions, inside the service's hours.

Every day is a Tokyo day: a pattern's 09:00–12:00 on Tuesday is Tuesday in Tokyo (00:00 UTC to
03:00 UTC), and a slot at 00:30 on Wednesday in Tokyo starts at 15:30 UTC on Tuesday. The service's
own hours decide whether a day runs at all: national holidays (by its holiday rule) and the
year-end closure come from :mod:`guidance.hours`, so a slot is never offered when the service is
closed.
"""

import datetime

from django.utils import timezone

from guidance import hours

from .models import Slot
from .times import TOKYO, today


def _intersect(first, second):
    start, end = max(first[0], second[0]), min(first[1], second[1])
    return (start, end) if start < end else None


def pattern_intervals(session_type, day):
    """The intervals the staff offer on ``day`` (aware, Tokyo), before the service's hours apply."""
    exceptions = [exception for exception in session_type.exceptions.all() if exception.day == day]
    if exceptions:
        spans = [(e.starts, e.ends) for e in exceptions if e.starts and e.ends]
    else:
        spans = [(w.starts, w.ends) for w in session_type.weekly.all() if w.weekday == day.weekday()]
    found = []
    for starts, ends in spans:
        start = datetime.datetime.combine(day, starts, tzinfo=TOKYO)
        end_day = day if ends > starts else day + datetime.timedelta(days=1)
        found.append((start, datetime.datetime.combine(end_day, ends, tzinfo=TOKYO)))
    return sorted(found)


def day_slots(session_type, day, schedule=None):
    """The ``(starts_at, ends_at)`` of every slot ``day`` has, in order."""
    schedule = schedule or session_type.service.schedule()
    service_hours = hours.day_intervals(schedule, day)
    # A service span that started the day before may run into this day (22:00–06:00).
    service_hours += hours.day_intervals(schedule, day - datetime.timedelta(days=1))
    length = datetime.timedelta(minutes=session_type.length_minutes)
    found = []
    for offered in pattern_intervals(session_type, day):
        for open_span in service_hours:
            window = _intersect(offered, open_span)
            if window is None:
                continue
            start = window[0]
            while start + length <= window[1]:
                found.append((start, start + length))
                start += length
    return sorted(set(found))


def generate(session_type, first_day=None, days=None, now=None):
    """Create the slots of ``days`` Tokyo days from ``first_day`` (default: today and the booking
    window). Existing slots, booked or cancelled, are left as they are; running it again creates
    nothing new.

    Returns:
        The number of slots created.
    """
    now = now or timezone.now()
    first_day = first_day or today(now)
    days = session_type.days_ahead if days is None else days
    schedule = session_type.service.schedule()
    wanted = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        wanted += [
            Slot(session_type=session_type, starts_at=start, ends_at=end)
            for start, end in day_slots(session_type, day, schedule)
            if start > now
        ]
    existing = set(
        Slot.objects.filter(
            session_type=session_type, starts_at__in=[slot.starts_at for slot in wanted]
        ).values_list("starts_at", flat=True)
    )
    new = [slot for slot in wanted if slot.starts_at not in existing]
    Slot.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def generate_all(now=None):
    """Every active session type's window (the daily beat task)."""
    from .models import SessionType

    return sum(generate(session_type, now=now) for session_type in SessionType.objects.filter(active=True))
