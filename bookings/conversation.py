"""Booking on LINE: the ``booking`` feature of the guidance router (order 20).

「予約」 (and its variants) answers with the next open times as quick replies, and a single-use
signed link to the mobile booking page for the full calendar; a tap on a time asks to confirm, one
more tap books it. Postbacks are ``f=booking&...``:

- ``t=<type>``: the open times of a session type;
- ``s=<slot>`` (``&r=<booking>`` when moving): confirm this time?
- ``c=<slot>`` (``&r=<booking>``): book it (or move the booking there);
- ``r=<booking>``: choose another time for a booking; ``x=<booking>``: cancel it.

A tap is idempotent per ``webhook_event_id`` (a booking remembers the event that made it; cancel and
move are conditional updates). A follower can only change their own bookings. The confirmation and
reminders go through the direct-message outbox (:mod:`bookings.outbox`); the reply says only what
happened.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guidance.backends.base import Answer, Link, QuickReply, Text
from guidance.conversation import ConversationHandler, postback_data
from guidance.crisis import normalise
from guidance.models import Route

from . import links, outbox, services
from .models import Booking, BookingStatus, Channel, SessionType, Slot
from .times import label, long_label

FEATURE = "booking"
QUICK_TIMES = 10  # leaves room under LINE's 13 for "other days" and a type choice
COMMANDS = {
    "予約",
    "よやく",
    "ヨヤク",
    "予約したい",
    "予約する",
    "相談の予約",
    "予約確認",
    "booking",
    "book",
    "reserve",
}


def _is_command(text):
    return normalise(text or "").lower() in {normalise(command).lower() for command in COMMANDS}


class BookingHandler(ConversationHandler):
    name = FEATURE
    order = 20

    def handle(self, incoming):
        if incoming.postback:
            with translation.override(incoming.language):
                return self.tapped(incoming)
        if incoming.text is not None and _is_command(incoming.text):
            with translation.override(incoming.language):
                return self.start(incoming)
        return None

    def answer(self, incoming, *messages):
        return Answer(Route.BOOKING, list(messages), incoming.language)

    def start(self, incoming):
        types = services.bookable_types()
        if not types:
            return self.answer(incoming, Text(_("There are no sessions to book at the moment.")))
        if len(types) == 1:
            return self.times(incoming, types[0])
        choices = tuple(
            QuickReply(session_type.described, data=postback_data(FEATURE, t=session_type.pk))
            for session_type in types[:13]
        )
        return self.answer(incoming, Text(_("Which session would you like to book?"), quick_replies=choices))

    def times(self, incoming, session_type, moving=None):
        slots = services.open_slots(session_type, limit=QUICK_TIMES)
        if not slots:
            text = _("%(what)s: there are no open times in the next %(days)s days.") % {
                "what": session_type.described,
                "days": session_type.days_ahead,
            }
            return self.answer(incoming, Text(text))
        text = _("%(what)s: choose a time (Japan time).") % {"what": session_type.described}
        calendar = ()
        if moving is None:  # the full calendar books anew; a move stays in the chat
            url = links.booking_link(session_type, incoming.line_user_id, incoming.language)
            calendar = (Link(_("See every open time"), url),)
        return self.answer(
            incoming, Text(text, links=calendar, quick_replies=outbox.slot_buttons(slots, moving))
        )

    def _own_booking(self, incoming, value):
        try:
            return Booking.objects.select_related("slot__session_type").get(
                pk=int(value), line_user_id=incoming.line_user_id, channel=Channel.LINE
            )
        except (TypeError, ValueError, Booking.DoesNotExist):
            return None

    def tapped(self, incoming):
        fields = incoming.postback
        moving = self._own_booking(incoming, fields["r"]) if "r" in fields else None
        if "r" in fields and (moving is None or moving.status != BookingStatus.BOOKED):
            return self.answer(incoming, Text(_("This booking can no longer be changed.")))
        try:
            if "c" in fields:
                return self.confirm(incoming, int(fields["c"]), moving)
            if "s" in fields:
                return self.ask(incoming, int(fields["s"]), moving)
            if "x" in fields:
                return self.cancel(incoming, self._own_booking(incoming, fields["x"]))
            if moving is not None:
                return self.times(incoming, moving.slot.session_type, moving)
            if "t" in fields:
                session_type = SessionType.objects.filter(pk=int(fields["t"]), active=True).first()
                return self.times(incoming, session_type) if session_type else None
        except ValueError:
            return None
        return None

    def ask(self, incoming, slot_id, moving):
        slot = Slot.objects.select_related("session_type").filter(pk=slot_id).first()
        if slot is None:
            return None
        extra = {"r": moving.pk} if moving else {}
        when = long_label(slot.starts_at)
        question = (_("Move your booking to %(when)s?") if moving else _("Book %(when)s?")) % {"when": when}
        buttons = (
            QuickReply(
                _("Yes, book it") if not moving else _("Yes, move it"),
                data=postback_data(FEATURE, c=slot.pk, **extra),
            ),
            QuickReply(_("Other times"), data=postback_data(FEATURE, t=slot.session_type_id, **extra)),
        )
        return self.answer(
            incoming, Text(f"{slot.session_type.described}\n{question}", quick_replies=buttons)
        )

    def gone(self, incoming, session_type, moving=None):
        slots = services.open_slots(session_type, limit=QUICK_TIMES)
        text = _("Sorry, that time has just been taken or is no longer open.")
        if slots:
            text += "\n" + _("Here are the next open times.")
        return self.answer(incoming, Text(text, quick_replies=outbox.slot_buttons(slots, moving)))

    def confirm(self, incoming, slot_id, moving):
        slot = Slot.objects.select_related("session_type").filter(pk=slot_id).first()
        if slot is None:
            return None
        try:
            if moving is not None:
                services.move(moving, slot.pk)
            else:
                services.book(
                    slot.pk,
                    channel=Channel.LINE,
                    language=incoming.language,
                    line_user_id=incoming.line_user_id or "",
                    webhook_event_id=incoming.webhook_event_id,
                )
        except services.SlotGone:
            return self.gone(incoming, slot.session_type, moving)
        except services.TooLate:
            return self.answer(
                incoming, Text(_("It is too late to change this booking here. Please call the service."))
            )
        # The confirmation itself goes through the outbox (nothing lost if this reply fails).
        return self.answer(incoming)

    def cancel(self, incoming, booking):
        if booking is None:
            return self.answer(incoming, Text(_("This booking can no longer be changed.")))
        try:
            cancelled = services.cancel(booking, timezone.now())
        except services.TooLate:
            return self.answer(incoming, Text(_("It is too late to cancel here. Please call the service.")))
        if not cancelled and booking.status != BookingStatus.CANCELLED:
            return self.answer(incoming, Text(_("This booking can no longer be changed.")))
        text = _("Your booking %(number)s (%(when)s) is cancelled.") % {
            "number": booking.number,
            "when": label(booking.slot.starts_at),
        }
        again = (
            QuickReply(_("Book another time"), data=postback_data(FEATURE, t=booking.slot.session_type_id)),
        )
        return self.answer(incoming, Text(text, quick_replies=again))
