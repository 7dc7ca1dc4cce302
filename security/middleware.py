"""Admin sessions: idle expiry, and no admin view without a verified second factor where required."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import two_factor
from .content_policy import is_admin_path

logger = logging.getLogger("security")

LAST_ACTIVITY_SESSION_KEY = "oyako_last_activity"
# Background requests the admin makes by itself; they do not count as activity.
BACKGROUND_URL_NAMES = {"wagtailadmin_editing_sessions:ping", "wagtailadmin_editing_sessions:release"}

# Reachable before verification: signing in and out, and the two-step pages themselves.
UNVERIFIED_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "security_two_factor_verify",
    "security_two_factor_enrol",
    "admin:login",
    "admin:logout",
}


def _url_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class IdleSessionMiddleware:
    """Sign a user out of the admin after ``OYAKO_ADMIN_IDLE_TIMEOUT`` without a request (None: never)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path first: a public request never touches the session (no Vary: Cookie from here).
        idle_timeout = settings.OYAKO_ADMIN_IDLE_TIMEOUT
        user = getattr(request, "user", None)
        if idle_timeout and is_admin_path(request.path_info) and user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            timeout = idle_timeout.total_seconds()
            if last is not None and now - last > timeout:
                logger.info("Signed user %s out after %s idle minutes", user.pk, int(timeout // 60))
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": int(timeout // 60)},
                )
                return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
            # Written at most once a minute, and never for the editor's background pings.
            if (last is None or now - last > 60) and _url_name(request) not in BACKGROUND_URL_NAMES:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """No admin view for a user who must verify (or has enrolled) until this session is verified.

    Runs after django-otp's ``OTPMiddleware``. A user without a device who must have one is sent to
    enrol; a user with a device is sent to enter a code; anyone else passes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        return response or self.get_response(request)

    def check(self, request):
        if not is_admin_path(request.path_info):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_verified():
            return None
        if _url_name(request) in UNVERIFIED_URL_NAMES:
            return None
        if two_factor.has_any_device(user):
            return redirect_to_login(request.get_full_path(), reverse("security_two_factor_verify"))
        if two_factor.is_required_for(user):
            return redirect_to_login(request.get_full_path(), reverse("security_two_factor_enrol"))
        return None
