"""The outbox's last word before a booking message goes: asked at every sending attempt."""

from .models import BookingStatus, Slot, SlotStatus


def still_wanted(row):
    """None to send ``row`` (a confirmation or reminder); else why it is no longer wanted."""
    from .models import Booking

    try:
        _prefix, booking_id, slot_id, _what = row.key.split(":", 3)
        booking = Booking.objects.get(pk=int(booking_id))
    except (ValueError, Booking.DoesNotExist):
        return "booking not found"
    if booking.status != BookingStatus.BOOKED:
        return "booking cancelled"
    if str(booking.slot_id) != slot_id:
        return "booking moved"
    if not Slot.objects.filter(pk=booking.slot_id, status=SlotStatus.OPEN).exists():
        return "session cancelled"
    return None
