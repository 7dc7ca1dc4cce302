"""Booking, cancelling and moving: each one conditional write, with its messages recorded in the
same transaction (the direct-message outbox sends them after commit; see :mod:`bookings.outbox`).

Two families can never hold one slot: the partial unique constraint on the active booking per slot
makes the insert itself the test, on SQLite and PostgreSQL alike (a second insert waits for the
first to commit, then fails). No read-then-write decides who wins.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import ACTIVE, Booking, BookingStatus, Channel, SessionType, Slot, SlotStatus
from .times import start_of_day, today

# A family cannot book a slot that starts sooner than this: the staff need a moment to see it.
LEAD_TIME = datetime.timedelta(minutes=30)


GONE_MESSAGE = _("Sorry, that time has just been taken or is no longer open. Please choose another.")


class SlotGone(Exception):
    """The slot was taken, cancelled, or is no longer in the booking window."""


class TooLate(Exception):
    """Past the session type's cancel-by time: the family is asked to call the service."""


def window(session_type, now):
    """The ``[from, until)`` a family may book in: from the lead time to the end of the last day."""
    until = start_of_day(today(now) + datetime.timedelta(days=session_type.days_ahead))
    return now + LEAD_TIME, until


def open_slots(session_type, now=None, limit=None):
    now = now or timezone.now()
    first, until = window(session_type, now)
    taken = Booking.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE)
    slots = (
        Slot.objects.filter(
            session_type=session_type, status=SlotStatus.OPEN, starts_at__gte=first, starts_at__lt=until
        )
        .exclude(Exists(taken))
        .order_by("starts_at")
    )
    return list(slots[:limit] if limit else slots)


def bookable_types():
    return list(
        SessionType.objects.filter(active=True)
        .select_related("service")
        .order_by("service__sort_order", "pk")
    )


def _check_slot(slot, now):
    first, until = window(slot.session_type, now)
    if slot.status != SlotStatus.OPEN or not (first <= slot.starts_at < until):
        raise SlotGone


def book(
    slot_id, *, channel, language="ja", line_user_id="", contact="", note="", webhook_event_id=None, now=None
):
    """Book ``slot_id`` for one family: one insert that only succeeds while nobody holds the slot.

    Idempotent per ``webhook_event_id``: the same LINE event books once and returns that booking.

    Raises:
        SlotGone: the slot was taken, cancelled, or is outside the booking window.
    """
    now = now or timezone.now()
    if webhook_event_id and (done := Booking.objects.filter(webhook_event_id=webhook_event_id).first()):
        return done
    slot = Slot.objects.select_related("session_type__service").filter(pk=slot_id).first()
    if slot is None:
        raise SlotGone
    _check_slot(slot, now)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot,
                channel=channel,
                language=language,
                line_user_id=line_user_id if channel == Channel.LINE else "",
                contact=contact,
                note=note,
                webhook_event_id=webhook_event_id,
            )
            outbox.confirmation(booking, now)
    except IntegrityError:
        if webhook_event_id and (done := Booking.objects.filter(webhook_event_id=webhook_event_id).first()):
            return done
        raise SlotGone from None
    return booking


def _may_change(booking, now):
    cutoff = booking.slot.starts_at - datetime.timedelta(hours=booking.slot.session_type.cancel_hours)
    if now >= cutoff:
        raise TooLate


def cancel(booking, now=None, by_family=True):
    """The family cancels: the slot opens again, the reminders are withdrawn. Returns whether this
    call cancelled it (False when it was no longer booked: a second tap changes nothing)."""
    now = now or timezone.now()
    if by_family:
        _may_change(booking, now)
    status = BookingStatus.CANCELLED if by_family else BookingStatus.SERVICE_CANCELLED
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=status, changed_at=now
        )
        if changed:
            booking.refresh_from_db()
            outbox.withdraw_reminders(booking)
            if not by_family:
                outbox.service_cancelled(booking, now)
    return bool(changed)


def move(booking, slot_id, now=None, by_family=True, webhook_event_id=None):
    """Move a booking to another open slot of the same session type, keeping its number: one update
    that fails when the new slot is held (the same unique constraint). Reminders follow the move.

    Raises:
        SlotGone: the new slot is not open.
        TooLate: the family is past the cancel-by time of the booking they are moving.
    """
    now = now or timezone.now()
    if by_family:
        _may_change(booking, now)
    new_slot = Slot.objects.select_related("session_type").filter(pk=slot_id).first()
    if new_slot is None or new_slot.session_type_id != booking.slot.session_type_id:
        raise SlotGone
    if new_slot.pk == booking.slot_id:
        return booking
    if by_family:
        _check_slot(new_slot, now)
    elif new_slot.status != SlotStatus.OPEN:
        raise SlotGone
    old_slot_id = booking.slot_id
    try:
        with transaction.atomic():
            changed = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.BOOKED, slot_id=old_slot_id
            ).update(slot=new_slot, changed_at=now)
            if not changed:
                raise SlotGone
            booking.refresh_from_db()
            outbox.withdraw_reminders(booking, slot_id=old_slot_id)
            outbox.confirmation(booking, now, moved=True)
    except IntegrityError:
        raise SlotGone from None
    return booking


def cancel_slot(slot, now=None):
    """The service cancels a slot: it closes, and a family holding it is told and offered the next
    open slots. Returns the booking that was cancelled, if any."""
    now = now or timezone.now()
    with transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(status=SlotStatus.CANCELLED)
        slot.status = SlotStatus.CANCELLED
        held = Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).first()
        if held and cancel(held, now, by_family=False):
            return held
    return None


def mark(booking, status):
    """Attended or no-show, for a booking that was booked (or marked before: staff may correct)."""
    if status not in {BookingStatus.ATTENDED, BookingStatus.NO_SHOW, BookingStatus.BOOKED}:
        raise ValueError(status)
    return bool(
        Booking.objects.filter(pk=booking.pk, status__in=ACTIVE).update(
            status=status, changed_at=timezone.now()
        )
    )


def add_slot(session_type, starts_at):
    """A slot staff add by hand (outside the pattern); it must be in the future."""
    ends_at = starts_at + datetime.timedelta(minutes=session_type.length_minutes)
    slot, _created = Slot.objects.get_or_create(
        session_type=session_type, starts_at=starts_at, defaults={"ends_at": ends_at}
    )
    if slot.status != SlotStatus.OPEN:
        Slot.objects.filter(pk=slot.pk).update(status=SlotStatus.OPEN)
        slot.status = SlotStatus.OPEN
    return slot
