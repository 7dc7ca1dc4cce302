"""The LINE webhook: verify, check the shape, queue, answer. Events are applied in a task."""

import base64
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import events, tasks

logger = logging.getLogger(__name__)


def signature_is_valid(secret, body, signature):
    """Whether ``signature`` is base64(HMAC-SHA256(secret, body)), compared in constant time.

    Args:
        secret: the channel secret.
        body: the raw request body, as bytes, exactly as received.
        signature: the ``x-line-signature`` header value.
    """
    if not signature:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


# Reliability: LINE's bodies nest a few levels deep; anything far deeper is refused before parsing,
# so a hostile body cannot exhaust the parser's recursion (a 500, differently each time).
MAX_NESTING = 32


def nesting_depth(body):
    """The deepest nesting of arrays and objects in a JSON text, strings skipped (stops past the limit)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in body.decode("utf-8", "replace"):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
        elif char in "]}":
            depth -= 1
    return deepest


@csrf_exempt
@require_POST
def line_webhook(request):
    """Receive LINE webhook events: 403 for a bad signature, 400 for a malformed body, else 200
    (events too old or dated in the future are ignored, see :func:`events.within_age`)."""
    secret = settings.LINE_CHANNEL_SECRET
    if not secret:
        return HttpResponse("LINE channel not configured.", status=503, content_type="text/plain")
    # The signature covers the raw bytes, so it is checked before anything is parsed.
    if not signature_is_valid(secret, request.body, request.headers.get("x-line-signature", "")):
        logger.warning("LINE webhook: bad or missing signature")
        return HttpResponseForbidden("Invalid signature.", content_type="text/plain")
    if nesting_depth(request.body) > MAX_NESTING:
        return HttpResponseBadRequest("Malformed webhook body: nested too deeply.", content_type="text/plain")
    try:
        event_list = events.minimal(events.within_age(events.validate_payload(json.loads(request.body))))
    except (ValueError, RecursionError, events.MalformedEvent) as error:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors too; RecursionError is JSON
        # nested deeper than the parser goes.
        return HttpResponseBadRequest(f"Malformed webhook body: {error}", content_type="text/plain")
    if event_list:
        transaction.on_commit(lambda: tasks.queue_line_events(event_list))
    return HttpResponse("OK", content_type="text/plain")
