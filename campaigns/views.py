"""Admin views: the campaign report, and confirming or cancelling a push held for being late."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import CampaignPage, PushDispatch
from .report import campaign_report
from .services import cancel_late_push, confirm_late_push


def _editable_campaign(request, page_id):
    campaign = get_object_or_404(CampaignPage, pk=page_id)
    if not campaign.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return campaign


def report(request, page_id):
    campaign = _editable_campaign(request, page_id)
    context = {"campaign": campaign, **campaign_report(campaign)}
    return TemplateResponse(request, "campaigns/admin/report.html", context)


def report_index(request):
    campaigns = [
        campaign
        for campaign in CampaignPage.objects.order_by("-start_date", "-pk")
        if campaign.permissions_for_user(request.user).can_edit()
    ]
    return TemplateResponse(request, "campaigns/admin/report_index.html", {"campaigns": campaigns})


@require_POST
def confirm(request, dispatch_id):
    dispatch = get_object_or_404(PushDispatch, pk=dispatch_id)
    _editable_campaign(request, dispatch.campaign_id)
    if request.POST.get("decision") == "cancel":
        done = cancel_late_push(dispatch, request.user)
        success = _("The late push was cancelled; it will not be sent.")
    else:
        done = confirm_late_push(dispatch, request.user)
        success = _("The late push was handed to the push pipeline.")
    if done:
        messages.success(request, success)
    else:
        messages.error(request, _("This push is no longer waiting for confirmation; nothing was changed."))
    return redirect("campaigns_report", dispatch.campaign_id)
