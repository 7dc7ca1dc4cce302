"""Admin views: a series as a timeline of its messages, with their state, and pausing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.models.subscribers import month_start

from . import services
from .enums import DispatchStatus
from .models import CohortDispatch, MessageSeriesPage


def _editable_series(request, page_id):
    series = get_object_or_404(MessageSeriesPage, pk=page_id)
    if not series.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return series


def timeline(request, page_id):
    """The live messages in the order families meet them: when, what, where it links, its state."""
    series = _editable_series(request, page_id)
    paused_series, paused_messages = services.paused_ids()
    this_month = month_start(timezone.localdate())
    history = {}
    for dispatch in CohortDispatch.objects.filter(series=series).order_by("-cohort_month", "-run_on"):
        history.setdefault(dispatch.message_id, []).append(dispatch)
    rows = []
    for message in series.timeline() if series.live else []:
        dispatches = history.get(message.pk, [])
        rows.append(
            {
                "message": message,
                "paused": message.pk in paused_messages,
                "hold_reason": services.hold_reason(message),
                "next_at": message.send_at(this_month),
                "families": sum(d.recipient_count for d in dispatches if d.status == DispatchStatus.ISSUED),
                "notification_ids": [d.notification_id for d in dispatches if d.notification_id],
                "last": dispatches[0] if dispatches else None,
            }
        )
    context = {
        "series": series,
        "rows": rows,
        "series_paused": series.pk in paused_series,
        "draft_pending": series.has_unpublished_changes,
    }
    return TemplateResponse(request, "milestones/admin/timeline.html", context)


@require_POST
def pause_view(request, page_id):
    series = _editable_series(request, page_id)
    raw = request.POST.get("message", "")
    message_id = int(raw) if raw.isdigit() else None
    if message_id is not None and not series.messages.filter(pk=message_id).exists():
        messages.error(request, _("That message is not in this series."))
        return redirect("milestones_timeline", series.pk)
    if request.POST.get("action") == "resume":
        services.resume(series, request.user, message_id=message_id)
        messages.success(request, _("Resumed."))
    else:
        services.pause(series, request.user, message_id=message_id)
        messages.success(request, _("Paused: nothing more goes out until it is resumed."))
    return redirect("milestones_timeline", series.pk)
