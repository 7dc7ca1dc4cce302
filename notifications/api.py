"""The handbook app's registration API: register, update and delete a device's FCM token.

One endpoint, ``/api/app/v1/devices/``, with the token always in the JSON body so that it never
appears in a URL or an access log. POST registers (an idempotent upsert by token), PATCH or PUT
updates, DELETE forgets the device. Every request carries the app key; bad input answers 400 with
field errors and changes nothing.
"""

import datetime
import hmac
import json
import logging
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from articles.enums import LifeStage
from security.lockout import client_address

from .events import MAX_CHILD_AGE_MONTHS, MAX_MONTHS_TO_DUE
from .models import AppDevice, AppPlatform, SubscriberStatus
from .models.subscribers import add_months, mask, month_start

logger = logging.getLogger(__name__)

BASIS_FIELDS = ("life_stage", "due_month", "birth_month")
MONTH_FORMAT = r"^\d{4}-(0[1-9]|1[0-2])$"


class DeviceForm(forms.Form):
    token = forms.RegexField(
        regex=r"^[A-Za-z0-9_:.\-]+$",
        min_length=20,
        max_length=512,
        error_messages={"invalid": _("The token may contain only letters, digits and _ : . -")},
    )
    platform = forms.ChoiceField(choices=AppPlatform.choices, required=False)
    life_stage = forms.ChoiceField(choices=LifeStage.choices, required=False)
    due_month = forms.RegexField(
        regex=MONTH_FORMAT, required=False, error_messages={"invalid": _("Use the form YYYY-MM.")}
    )
    birth_month = forms.RegexField(
        regex=MONTH_FORMAT, required=False, error_messages={"invalid": _("Use the form YYYY-MM.")}
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)

    def __init__(self, data, *, require_platform):
        super().__init__(data)
        self.fields["platform"].required = require_platform

    @staticmethod
    def _month(value):
        return datetime.date.fromisoformat(f"{value}-01") if value else None

    def clean_due_month(self):
        month = self._month(self.cleaned_data["due_month"])
        this_month = month_start(timezone.localdate())
        if month and not this_month <= month <= add_months(this_month, MAX_MONTHS_TO_DUE):
            raise forms.ValidationError(
                _("The due month must lie within the next %(months)d months."),
                params={"months": MAX_MONTHS_TO_DUE},
            )
        return month

    def clean_birth_month(self):
        month = self._month(self.cleaned_data["birth_month"])
        this_month = month_start(timezone.localdate())
        if month and not add_months(this_month, -MAX_CHILD_AGE_MONTHS) <= month <= this_month:
            raise forms.ValidationError(_("The birth month must lie within the last six years."))
        return month

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in BASIS_FIELDS if cleaned.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(
                _("Give only one of life_stage, due_month and birth_month."), code="basis"
            )
        return cleaned


def _error(status, message, **extra):
    return JsonResponse({"error": str(message), **extra}, status=status)


def _client_ip(request):
    # Behind the production proxy REMOTE_ADDR is the proxy's, one for every phone: the address is
    # read from X-Forwarded-For as the sign-in throttle reads it.
    return client_address(request) or "unknown"


def _window(scope, ident):
    limit, seconds = settings.APP_API_RATE_LIMITS[scope]
    window = int(time.time() // seconds)
    return f"notifications:app-api:{scope}:{ident}:{window}", limit, seconds


def _retry_after(seconds):
    return max(1, int(seconds - time.time() % seconds))


def _spent(scope, ident):
    """The seconds to wait when ``ident`` has used up the window's limit (without counting), else 0."""
    key, limit, seconds = _window(scope, ident)
    return _retry_after(seconds) if (cache.get(key) or 0) >= limit else 0


def _over_limit(scope, ident):
    """Count a request in a fixed window; return the seconds to wait when over the limit, else 0."""
    key, limit, seconds = _window(scope, ident)
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count > limit:
        return _retry_after(seconds)
    return 0


def _too_many(retry_after):
    response = _error(429, _("Too many requests. Try again later."))
    response["Retry-After"] = str(retry_after)
    return response


def _presented_key(request):
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ").strip()
    return request.headers.get("X-App-Key", "")


def _device_json(device):
    stage = device.current_life_stage()
    return {
        "platform": device.platform,
        "life_stage": stage.value if stage else None,
        "stage_chosen": device.stage_chosen,
        "language": device.language,
        "status": device.status,
    }


def read_body(request, allowed=None):
    """The JSON object of the request (only string or null values, only ``allowed`` names, by default
    the device fields), or an error response."""
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        return None, _error(400, _("The body must be JSON."))
    if not isinstance(payload, dict):
        return None, _error(400, _("The body must be a JSON object."))
    unknown = set(payload) - set(allowed or DeviceForm.base_fields)
    if unknown:
        return None, _error(
            400, _("Unknown fields."), fields={name: [str(_("Unknown field."))] for name in sorted(unknown)}
        )
    wrong_type = [name for name, value in payload.items() if value is not None and not isinstance(value, str)]
    if wrong_type:
        return None, _error(
            400, _("Invalid input."), fields={name: [str(_("Must be a string."))] for name in wrong_type}
        )
    return payload, None


def authenticate(request):
    """None when the request carries the app key and is within the limits, else the error response.

    Every app endpoint calls this first (outcomes' survey invitation too).
    """
    expected_key = settings.APP_API_KEY
    if not expected_key:
        return _error(503, _("The app API is not configured."))
    address = _client_ip(request)
    # An address that has sent too many wrong keys is refused before its key is looked at, even a
    # right one, so that a guess can never be confirmed; the other addresses are not affected.
    if retry_after := _spent("wrong_key", address):
        return _too_many(retry_after)
    if not hmac.compare_digest(_presented_key(request).encode(), expected_key.encode()):
        if retry_after := _over_limit("wrong_key", address):
            return _too_many(retry_after)
        return _error(401, _("A valid app key is required."))
    if retry_after := _over_limit("ip", address):
        return _too_many(retry_after)
    if retry_after := _over_limit("key", "app"):
        return _too_many(retry_after)
    return None


@csrf_exempt
def devices(request):
    """Register (POST), update (PATCH/PUT) or delete (DELETE) a handbook-app device."""
    if request.method not in {"POST", "PATCH", "PUT", "DELETE"}:
        response = _error(405, _("Method not allowed."))
        response["Allow"] = "POST, PATCH, PUT, DELETE"
        return response
    if refused := authenticate(request):
        return refused
    payload, error = read_body(request)
    if error:
        return error
    if request.method == "DELETE":
        return _delete(payload)
    form = DeviceForm(payload, require_platform=request.method == "POST")
    if not form.is_valid():
        fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        return _error(400, _("Invalid input."), fields=fields)
    return _register(form, payload) if request.method == "POST" else _update(form, payload)


def _changes(form, payload):
    """Only the fields the client sent: a PATCH leaves the others alone."""
    data = form.cleaned_data
    changes = {}
    if data.get("platform"):
        changes["platform"] = data["platform"]
    if data.get("language"):
        changes["language"] = data["language"]
    if set(BASIS_FIELDS) & set(payload):
        # Any basis field replaces the whole basis; null for all of them clears the choice.
        probe = AppDevice()
        probe.set_life_stage(
            life_stage=data.get("life_stage") or None,
            due_month=data.get("due_month"),
            birth_month=data.get("birth_month"),
        )
        changes.update({name: getattr(probe, name) for name in (*BASIS_FIELDS, "stage_chosen")})
    return changes


def _register(form, payload):
    token = form.cleaned_data["token"]
    changes = _changes(form, payload)
    changes.update(status=SubscriberStatus.ACTIVE, deactivated_at=None)
    device, created = AppDevice.objects.update_or_create(token=token, defaults=changes)
    logger.info("App device %s %s", mask(token), "registered" if created else "re-registered")
    return JsonResponse(_device_json(device), status=201 if created else 200)


def _update(form, payload):
    token = form.cleaned_data["token"]
    changes = _changes(form, payload)
    updated = AppDevice.objects.filter(token=token).update(**changes, updated_at=timezone.now())
    if not updated:
        return _error(404, _("No device with this token is registered."))
    logger.info("App device %s updated: %s", mask(token), ", ".join(sorted(changes)))
    return JsonResponse(_device_json(AppDevice.objects.get(token=token)))


def _delete(payload):
    token = payload.get("token")
    if not token or not DeviceForm.base_fields["token"].regex.match(token):
        return _error(400, _("Invalid input."), fields={"token": [str(_("A valid token is required."))]})
    # Unregistering deletes the row, and with it all personal data; deleting twice is not an error.
    deleted, _rows = AppDevice.objects.filter(token=token).delete()
    logger.info("App device %s %s", mask(token), "deleted" if deleted else "already absent")
    return HttpResponse(status=204)
