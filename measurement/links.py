"""The hub's own short redirect: one token per (notification or bot route, link target).

Only the hub's own site (``WAGTAILADMIN_BASE_URL`` and the Wagtail sites' hosts) and the hosts in
``MEASUREMENT_LINK_HOSTS`` are ever redirected to, so ``/r/<token>/`` is no open redirect; any
other address is left as it is (it is not counted, but it still works).
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from .models import TrackedLink

logger = logging.getLogger(__name__)


def _host(url):
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def own_site():
    return _host(settings.WAGTAILADMIN_BASE_URL)


def _site_hosts():
    """The hosts of the hub's own Wagtail sites (a page's full URL names its site's host)."""
    from wagtail.models import Site

    return {hostname.lower() for hostname in Site.objects.values_list("hostname", flat=True)}


def allowed_target(url):
    """Whether ``url`` is the hub's own site or an approved link target (http/https only)."""
    scheme, host, port = _host(url or "")
    if scheme not in ("http", "https") or not host:
        return False
    if (scheme, host, port) == own_site() or host in _site_hosts():
        return True
    return host in {h.lower() for h in getattr(settings, "MEASUREMENT_LINK_HOSTS", [])} and scheme == "https"


def redirect_url(token):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("measurement:redirect", args=[token])


def link_for(source, target, notification_id=None):
    """The :class:`TrackedLink` for ``source`` and ``target``, created once (race-safe)."""
    try:
        return TrackedLink.objects.get(source=source, target=target)
    except TrackedLink.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return TrackedLink.objects.create(
                source=source[:64], target=target, notification_id=notification_id
            )
    except IntegrityError:
        return TrackedLink.objects.get(source=source[:64], target=target)


def tracked(target, source, notification_id=None):
    """``target`` through the redirect, or ``target`` itself when it may not go through it.

    A failure here never costs the parent the link: the plain address is returned instead.
    """
    if not settings.MEASUREMENT_TRACKED_LINKS or not allowed_target(target) or len(target) > 1000:
        return target
    try:
        return redirect_url(link_for(source, target, notification_id).token)
    except Exception:  # the database is busy or gone: the link still works, uncounted
        logger.warning("Tracked link not made for %s", source, exc_info=True)
        return target
