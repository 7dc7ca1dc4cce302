"""The handbook app's children API: a device's children, as on LINE.

``/api/app/v1/children/``, the token always in the JSON body (never in a URL or an access log):
POST lists the device's children (``{"token"}``) or adds one (with ``due_month`` or
``birth_month``, ``YYYY-MM``, and an optional ``nickname``); PATCH corrects one (``id`` and the
fields to change; a ``birth_month`` on a pregnancy records the birth); DELETE removes one. Every
request carries the app key (:func:`notifications.api.authenticate`); bad input answers 400 with
field errors and changes nothing.
"""

import datetime
import logging
import re

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from notifications.api import _error, authenticate, read_body
from notifications.models import AppDevice, SubscriberStatus
from notifications.models.subscribers import mask

from . import services
from .models import NICKNAME_MAX, Child

logger = logging.getLogger(__name__)

FIELDS = ("token", "id", "due_month", "birth_month", "nickname")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_:.\-]{20,512}$")


def child_json(child):
    stage = child.life_stage()
    return {
        "id": child.pk,
        "due_month": f"{child.due_month:%Y-%m}" if child.due_month else None,
        "birth_month": f"{child.birth_month:%Y-%m}" if child.birth_month else None,
        "nickname": child.nickname,
        "life_stage": stage.value if stage else None,
    }


def _list(device):
    member = services.member_of(device)
    children = services.children(member.household) if member else []
    return JsonResponse({"children": [child_json(child) for child in children]})


def _month(payload, name, errors):
    value = payload.get(name)
    if value is None:
        return None
    if not MONTH_RE.match(value):
        errors[name] = [str(_("Use the form YYYY-MM."))]
        return None
    return datetime.date.fromisoformat(f"{value}-01")


def _invalid(errors):
    return _error(400, _("Invalid input."), fields=errors)


MONTH_ERROR = _(
    "The month is outside what can be used: a due month within 10 months, a birth month within 6 years."
)


@csrf_exempt
def children(request):
    """List or add (POST), correct (PATCH) or remove (DELETE) a device's children."""
    if request.method not in {"POST", "PATCH", "DELETE"}:
        response = _error(405, _("Method not allowed."))
        response["Allow"] = "POST, PATCH, DELETE"
        return response
    if refused := authenticate(request):
        return refused
    payload, error = read_body(request, allowed=FIELDS)
    if error:
        return error
    errors = {}
    token = payload.get("token") or ""
    if not TOKEN_RE.match(token):
        return _invalid({"token": [str(_("A valid token is required."))]})
    device = AppDevice.objects.filter(token=token, status=SubscriberStatus.ACTIVE).first()
    if device is None:
        return _error(404, _("No device with this token is registered."))
    due_month, birth_month = _month(payload, "due_month", errors), _month(payload, "birth_month", errors)
    nickname = payload.get("nickname")
    if nickname is not None and len(nickname) > NICKNAME_MAX:
        errors["nickname"] = [str(_("At most 20 characters."))]
    child = None
    if request.method in {"PATCH", "DELETE"}:
        member = services.member_of(device)
        pk = payload.get("id") or ""
        child = (
            Child.objects.filter(pk=int(pk), household_id=member.household_id).first()
            if member and pk.isdigit()
            else None
        )
        if child is None:
            return _error(404, _("This device has no such child."))
    if errors:
        return _invalid(errors)
    if request.method == "DELETE":
        services.remove_child(child)
        logger.info("App device %s removed a child", mask(token))
        return HttpResponse(status=204)
    try:
        if request.method == "POST":
            if due_month is None and birth_month is None:
                return _list(device)
            if due_month and birth_month:
                return _invalid({"birth_month": [str(_("Give a due month or a birth month, not both."))]})
            child = services.add_child(
                services.ensure_member(device),
                due_month=due_month,
                birth_month=birth_month,
                nickname=nickname or "",
            )
            logger.info("App device %s added a child", mask(token))
            return JsonResponse(child_json(child), status=201)
        if birth_month and child.is_pregnancy:
            services.record_birth(child, birth_month)
        services.correct_child(child, due_month=due_month, birth_month=birth_month, nickname=nickname)
    except services.FamilyError as failure:
        field = "birth_month" if birth_month else "due_month"
        if failure.code == "too_many":
            return _invalid({"__all__": [str(_("A household can have up to 8 children."))]})
        return _invalid({field: [str(MONTH_ERROR)]})
    child.refresh_from_db()
    return JsonResponse(child_json(child))
