"""Template tags of the physician's review."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import publish_reach

register = template.Library()


def _scheduled_go_live(obj):
    """The future moment ``obj`` is set to go live, or None when approving publishes it now."""
    go_live_at = getattr(obj, "go_live_at", None)
    if go_live_at and go_live_at > timezone.now():
        return go_live_at
    return None


@register.simple_tag
def approval_consequences(task_state):
    """What approving ``task_state``'s revision does, in words, before the click: it goes live at
    once (or at its scheduled go-live, named in local time), and whether (and to how many
    families) a push goes out."""
    obj = task_state.revision.as_object()
    reach = publish_reach(obj)
    go_live_at = _scheduled_go_live(obj)
    if go_live_at is None:
        if reach is None:
            return _("Approving publishes this version at once. No push notification is sent.")
        return ngettext(
            "Approving publishes this version at once and sends a push notification to %(count)d family.",
            "Approving publishes this version at once and sends a push notification to %(count)d families.",
            reach,
        ) % {"count": reach}
    when = formats.date_format(timezone.localtime(go_live_at), "DATETIME_FORMAT")
    if reach is None:
        return _("Approving schedules this version to go live on %(when)s. No push notification is sent.") % {
            "when": when
        }
    return ngettext(
        "Approving schedules this version to go live on %(when)s; then a push notification goes to "
        "%(count)d family (as the audience stands now).",
        "Approving schedules this version to go live on %(when)s; then a push notification goes to "
        "%(count)d families (as the audience stands now).",
        reach,
    ) % {"count": reach, "when": when}
