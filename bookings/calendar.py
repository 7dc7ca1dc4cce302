"""A staff member's bookings as an iCalendar feed (the ``icalendar`` library): one event per active
booking of the services they see, from a month back to the booking window ahead. An event names
the booking number and the session type only; nothing about the family."""

import datetime

from django.utils.translation import gettext as _

from .access import services_for
from .models import ACTIVE, Booking

PAST = datetime.timedelta(days=31)
AHEAD = datetime.timedelta(days=92)


def feed_for(user, now):
    import icalendar  # only a calendar app's request needs it; kept out of every web worker

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Oyako Hub//bookings//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Bookings"))
    cal.add("x-wr-timezone", "Asia/Tokyo")
    bookings = Booking.objects.filter(
        status__in=ACTIVE,
        slot__session_type__service__in=services_for(user),
        slot__starts_at__gte=now - PAST,
        slot__starts_at__lt=now + AHEAD,
    ).select_related("slot__session_type")
    for booking in bookings:
        slot = booking.slot
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.number}@oyako-hub")
        event.add("dtstamp", booking.changed_at)
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.ends_at)
        event.add("summary", f"{slot.session_type.name} · {booking.number}")
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
