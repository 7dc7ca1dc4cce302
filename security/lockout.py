"""What a locked-out sign-in sees (``AXES_LOCKOUT_CALLABLE``), and the log line a lockout leaves."""

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("security")


def client_address(request):
    """The sign-in's address (``AXES_CLIENT_IP_CALLABLE``), right behind our own proxies.

    Behind ``OYAKO_TRUSTED_PROXY_COUNT`` reverse proxies, REMOTE_ADDR is the nearest proxy's
    address (one for everyone), so the address is read from X-Forwarded-For, counting from the
    right: entries further left are written by the client and could be forged.
    """
    proxies = getattr(settings, "OYAKO_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


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
