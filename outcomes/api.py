"""The handbook app's survey invitation: ``POST /api/app/v1/survey-invitation/``.

The app sends its FCM token in the JSON body (never in the URL), with the app key like every app
endpoint, and gets its own single-use link to the survey open now, or 404 when none is open or the
device is not registered. Nothing is written: the link is signed, not stored.
"""

import logging

from django import forms
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from notifications.api import DeviceForm, authenticate, read_body
from notifications.models.subscribers import mask

from . import invitations

logger = logging.getLogger(__name__)


class InvitationRequest(forms.Form):
    token = DeviceForm.base_fields["token"]


def _error(status, message, **extra):
    return JsonResponse({"error": str(message), **extra}, status=status)


@csrf_exempt
def survey_invitation(request):
    if request.method != "POST":
        response = _error(405, _("Method not allowed."))
        response["Allow"] = "POST"
        return response
    if refused := authenticate(request):
        return refused
    payload, error = read_body(request, allowed=InvitationRequest.base_fields)
    if error:
        return error
    form = InvitationRequest(payload)
    if not form.is_valid():
        fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        return _error(400, _("Invalid input."), fields=fields)
    device, found = invitations.for_app_device(form.cleaned_data["token"])
    if device is None:
        return _error(404, _("No device with this token is registered."))
    if found is None:
        return _error(404, _("No survey is open for this device now."))
    title, url, closes_at = found
    logger.info("Survey invitation handed to app device %s", mask(device.token))
    return JsonResponse({"title": title, "url": url, "closes_at": closes_at.isoformat()})
