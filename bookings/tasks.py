import datetime

from celery import shared_task

from django.utils import timezone

# What a booking keeps to reach the family on LINE is forgotten this long after the session.
FORGET_LINE_ID_AFTER = datetime.timedelta(days=2)


@shared_task
def generate_slots():
    """Every night: the slots of each active session type's booking window (idempotent), and what
    is no longer needed forgotten (see :func:`forget`)."""
    from .slots import generate_all

    forget()
    return generate_all()


def forget(now=None):
    """Spent or expired booking links go; a past session's booking forgets the follower's LINE ID."""
    from .links import MAX_AGE
    from .models import Booking, BookingLink

    now = now or timezone.now()
    BookingLink.objects.filter(created_at__lt=now - datetime.timedelta(seconds=MAX_AGE)).delete()
    Booking.objects.filter(slot__ends_at__lt=now - FORGET_LINE_ID_AFTER).exclude(line_user_id="").update(
        line_user_id=""
    )
