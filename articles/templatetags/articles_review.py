"""Template tags of the physician's review."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import publish_reach

register = template.Library()


@register.simple_tag
def approval_consequences(task_state):
    """What approving ``task_state``'s revision does, in words, before the click: it goes live at
    once, and whether (and to how many families) a push goes out."""
    obj = task_state.revision.as_object()
    reach = publish_reach(obj)
    if reach is None:
        return _("Approving publishes this version at once. No push notification is sent.")
    return ngettext(
        "Approving publishes this version at once and sends a push notification to %(count)d family.",
        "Approving publishes this version at once and sends a push notification to %(count)d families.",
        reach,
    ) % {"count": reach}
