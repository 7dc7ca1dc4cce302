"""Spec-valid LINE webhook bodies, checked against shared/line-openapi/webhook.yml, and signing."""

import base64
import hashlib
import hmac
import json
import secrets
import time

from tests.fakes import openapi

SECRET = "a-real-looking-channel-secret-0123"  # a test secret, not LINE's
BOT_ID = "U" + "0" * 32
WEBHOOK_SPEC = openapi.find_spec("webhook.yml")
# The default event time: when the tests started (the webhook ignores events a day old); events of
# a test that must come in order are dated T0 + n milliseconds.
T0 = int(time.time()) * 1000


def user_id():
    return "U" + secrets.token_hex(16)


def event_id():
    return "01" + secrets.token_hex(12).upper()


def _event(kind, user, *, webhook_event_id=None, timestamp=T0, redelivery=False, **extra):
    return {
        "type": kind,
        "mode": "active",
        "timestamp": timestamp,
        "source": {"type": "user", "userId": user},
        "webhookEventId": webhook_event_id or event_id(),
        "deliveryContext": {"isRedelivery": redelivery},
        **extra,
    }


def follow(user, **kwargs):
    return _event("follow", user, replyToken=secrets.token_hex(16), follow={"isUnblocked": False}, **kwargs)


def unfollow(user, **kwargs):
    return _event("unfollow", user, **kwargs)


def postback(user, data, params=None, **kwargs):
    body = {"data": data}
    if params:
        body["params"] = params
    return _event("postback", user, replyToken=secrets.token_hex(16), postback=body, **kwargs)


def text_message(user, text, **kwargs):
    message = {"type": "text", "id": secrets.token_hex(8), "quoteToken": secrets.token_hex(8), "text": text}
    return _event("message", user, replyToken=secrets.token_hex(16), message=message, **kwargs)


def body(*events):
    """A webhook body as LINE sends it; fails the test if it does not match the spec."""
    payload = {"destination": BOT_ID, "events": list(events)}
    openapi.validate(WEBHOOK_SPEC, "CallbackRequest", payload)
    return json.dumps(payload, ensure_ascii=False).encode()


def sign(raw, secret=SECRET):
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
