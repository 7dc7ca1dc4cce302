"""The preset push rhythm an editor starts a campaign's plan from."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

# Tuesday and Friday evenings, when parents in the pilot said they read messages.
WEEKLY_DAYS = (1, 4)  # Monday is 0
WEEKLY_TIME = datetime.time(19, 0)
EVE_OF_EVENT_TIME = datetime.time(19, 0)
MORNING_OF_EVENT_TIME = datetime.time(8, 0)


@dataclass(frozen=True)
class PresetPush:
    send_at: datetime.datetime
    text: str
    kind: str
    life_stages: list = field(default_factory=list)
    languages: list = field(default_factory=list)


@dataclass(frozen=True)
class PresetEvent:
    name: str
    starts_at: datetime.datetime
    venue: str = ""


def _at(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_default_timezone())


def preset_rhythm(*, title, start_date, end_date, events=(), now=None):
    """The preset plan for a campaign period: twice a week, plus the eve and morning of each event.

    Args:
        title: The campaign title, quoted in the texts.
        start_date: First day of the campaign (a date, Asia/Tokyo).
        end_date: Last day of the campaign, inclusive.
        events: :class:`PresetEvent` items (or anything with ``name``, ``starts_at``, ``venue``).
        now: Times before this are left out; defaults to the current time.

    Returns:
        A list of :class:`PresetPush`, sorted by time, with at most one push per minute.
    """
    now = now or timezone.now()
    pushes = {}

    day = start_date
    while day <= end_date:
        if day.weekday() in WEEKLY_DAYS:
            send_at = _at(day, WEEKLY_TIME)
            pushes[send_at] = PresetPush(
                send_at=send_at,
                text=_("%(title)s: this week's features for families are on the hub.") % {"title": title},
                kind="weekly",
            )
        day += datetime.timedelta(days=1)

    for event in events:
        event_day = timezone.localtime(event.starts_at).date()
        eve = _at(event_day - datetime.timedelta(days=1), EVE_OF_EVENT_TIME)
        morning = _at(event_day, MORNING_OF_EVENT_TIME)
        start = timezone.localtime(event.starts_at)
        # The event reminders replace a weekly push at the same minute.
        pushes[eve] = PresetPush(
            send_at=eve,
            text=_("Tomorrow: %(event)s at %(venue)s from %(time)s.")
            % {"event": event.name, "venue": event.venue, "time": f"{start:%H:%M}"},
            kind="event_eve",
        )
        pushes[morning] = PresetPush(
            send_at=morning,
            text=_("Today: %(event)s at %(venue)s from %(time)s. See you there!")
            % {"event": event.name, "venue": event.venue, "time": f"{start:%H:%M}"},
            kind="event_morning",
        )

    return [pushes[key] for key in sorted(pushes) if key > now]
