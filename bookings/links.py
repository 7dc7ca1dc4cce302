"""The single-use signed link from LINE to the mobile booking page.

The address carries a signed nonce only; the follower it books for is in the
:class:`~bookings.models.BookingLink` row, never in the URL. A link expires after ``MAX_AGE`` and
is spent by the booking it makes.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import BookingLink

SALT = "bookings.link"
MAX_AGE = 60 * 60  # one hour


def booking_link(session_type, line_user_id, language):
    if not line_user_id:
        return absolute(reverse("bookings:book", args=[session_type.pk]))
    row = BookingLink.objects.create(session_type=session_type, line_user_id=line_user_id, language=language)
    token = signing.dumps(row.nonce, salt=SALT)
    return absolute(reverse("bookings:book_from_line", args=[token]))


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


class LinkInvalid(Exception):
    """Tampered, expired or already used."""


def open_link(token, now=None):
    """The unused :class:`BookingLink` a token names; raises LinkInvalid otherwise."""
    try:
        nonce = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise LinkInvalid from None
    row = BookingLink.objects.select_related("session_type").filter(nonce=nonce, used_at__isnull=True).first()
    if row is None:
        raise LinkInvalid
    return row


def spend(row, now=None):
    """Mark the link used; False when another request spent it first (one conditional update)."""
    return bool(
        BookingLink.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now or timezone.now())
    )
