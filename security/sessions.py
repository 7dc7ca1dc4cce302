"""Sessions: each sign-in is recorded so that a user (or an administrator) can end all of them."""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout

from .models import SignedInSession

logger = logging.getLogger("security")


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def record_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: remember the new session's key (login() has already cycled it)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if not session.session_key:
        session.save()
    SignedInSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})


def forget_sign_in(sender, request, user, **kwargs):
    """``user_logged_out``: the session is being flushed, its record goes with it."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        SignedInSession.objects.filter(session_key=session.session_key).delete()


def end_all_sessions(user, request=None):
    """End every session ``user`` signed in with, on every device; returns how many were ended.

    With ``request`` (the user's own), that session ends too and the user is signed out here.
    """
    store = _session_store()
    records = list(SignedInSession.objects.filter(user=user))
    for record in records:
        store(session_key=record.session_key).delete()
    SignedInSession.objects.filter(pk__in=[record.pk for record in records]).delete()
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        logout(request)
    logger.info("Ended %s sessions of user %s", len(records), user.pk)
    return len(records)
