from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedInSession(models.Model):
    """A session a user signed in with, so "sign out everywhere" can end each of them.

    Recorded on sign-in, forgotten on sign-out; works with any session engine (database or cache),
    since ending a session goes through the engine's own store.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self):
        return f"{self.user_id} @ {self.signed_in_at:%Y-%m-%d %H:%M}"
