"""``{% push_figures ids %}``: reach, opens and clicks for one notification or several, for the
campaign report and the timed-message timeline (small figures worded as such)."""

from django import template
from django.template.loader import render_to_string

from .. import figures

register = template.Library()


@register.simple_tag
def push_figures(ids):
    if ids in (None, "", []):
        return "—"
    ids = [ids] if isinstance(ids, int) else [pk for pk in ids if pk]
    if not ids:
        return "—"
    measured = figures.combined(ids) if len(ids) > 1 else figures.for_notifications(ids)[ids[0]]
    return render_to_string("measurement/includes/push_figures.html", {"figures": measured})
