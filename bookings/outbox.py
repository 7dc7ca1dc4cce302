"""What a booking sends the family on LINE, through the direct-message outbox
(:mod:`notifications.direct`): recorded in the booking's own transaction, sent after commit, retried
and swept like pushes, never counted as notifications issued.

Every word here is a fixed string of the catalogues that carries no advice: the booking number, who
runs the session and how, its time, and the buttons. Nothing staff typed reaches the family. A
booking made on the site has no LINE user: the page itself confirms it and staff use the contact.
"""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from guidance.backends.base import QuickReply, Text
from guidance.conversation import postback_data

from .times import label, long_label

FEATURE = "booking"
CHECK = "bookings.checks.still_wanted"
DAY_BEFORE = datetime.timedelta(days=1)
HOUR_BEFORE = datetime.timedelta(hours=1)
MAX_OFFERED = 5


def _direct():
    from notifications import direct

    return direct


def key(booking, what, slot_id=None):
    return f"booking:{booking.pk}:{slot_id or booking.slot_id}:{what}"


def change_buttons(booking):
    return (
        QuickReply(_("Change the time"), data=postback_data(FEATURE, r=booking.pk)),
        QuickReply(_("Cancel the booking"), data=postback_data(FEATURE, x=booking.pk)),
    )


def details(booking):
    slot = booking.slot
    return _("Booking number: %(number)s\n%(what)s\n%(when)s (%(minutes)s minutes, Japan time)") % {
        "number": booking.number,
        "what": slot.session_type.described,
        "when": long_label(slot.starts_at),
        "minutes": slot.session_type.length_minutes,
    }


def _record(booking, what, text, quick_replies=(), not_before=None, check=CHECK, slot_id=None):
    if not booking.line_user_id:
        return None
    return _direct().record(
        kind=f"booking.{what}",
        key=key(booking, what, slot_id),
        messages=[Text(text, quick_replies=tuple(quick_replies))],
        language=booking.language,
        line_user_id=booking.line_user_id,
        check=check,
        not_before=not_before,
    )


def confirmation(booking, now, moved=False):
    """The confirmation at once, the reminder the day before and, for video, an hour before."""
    from .models import Mode

    starts = booking.slot.starts_at
    with translation.override(booking.language):
        heading = _("Your booking has been changed.") if moved else _("Your booking is confirmed.")
        _record(booking, "confirmation", f"{heading}\n{details(booking)}", change_buttons(booking))
        if starts - DAY_BEFORE > now:
            text = _("A reminder: your session is tomorrow.") + "\n" + details(booking)
            _record(booking, "reminder-day", text, change_buttons(booking), not_before=starts - DAY_BEFORE)
        if booking.slot.session_type.mode == Mode.VIDEO and starts - HOUR_BEFORE > now:
            text = _("Your video session starts in an hour.") + "\n" + details(booking)
            _record(booking, "reminder-hour", text, not_before=starts - HOUR_BEFORE)


def withdraw_reminders(booking, slot_id=None):
    direct = _direct()
    for what in ("confirmation", "reminder-day", "reminder-hour"):
        direct.cancel(key(booking, what, slot_id), reason="booking cancelled or moved")


def slot_buttons(slots, moving=None):
    extra = {"r": moving.pk} if moving else {}
    return tuple(
        QuickReply(label(slot.starts_at), data=postback_data(FEATURE, s=slot.pk, **extra)) for slot in slots
    )


def service_cancelled(booking, now):
    """The service cancelled the session: the family is told and offered the next open slots."""
    from .services import open_slots

    offered = open_slots(booking.slot.session_type, now=now, limit=MAX_OFFERED)
    with translation.override(booking.language):
        text = _("We are sorry: the service had to cancel this session.") + "\n" + details(booking)
        if offered:
            text += "\n\n" + _("You can choose another time below.")
        _record(booking, "service-cancelled", text, slot_buttons(offered), check="")
