"""What a locked-out sign-in sees (``AXES_LOCKOUT_CALLABLE``), and the log line a lockout leaves."""

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("security")


def cool_off_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """The lockout page: the admin's sign-in look, the reason, and when to try again (HTTP 429).

    Every further attempt during the lockout starts the cool-off again (django-axes' default), so
    the time shown is right for the attempt that shows it.
    """
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    # Returned by django-axes' middleware, after the view: rendered here, not a TemplateResponse.
    return render(
        request,
        "security/locked_out.html",
        {"minutes": cool_off_minutes(), "until": until},
        status=429,
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    """``axes.signals.user_locked_out``: one line naming the account and address, never a password."""
    logger.warning(
        "Sign-in locked for %s minutes after %s failures: username=%r address=%s",
        cool_off_minutes(),
        settings.AXES_FAILURE_LIMIT,
        username,
        ip_address,
    )
