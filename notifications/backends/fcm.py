"""Firebase Cloud Messaging backend (HTTP v1 through firebase-admin) for the handbook app.

FCM has no retry key, so a batch is never resent once any of its messages was accepted: only a
batch on which every message failed transiently is retried, and one whose worker stopped between
sending and recording is counted as sent (``sending.claim``). Tokens FCM reports as unregistered are
handed back so that the task deactivates their devices.
"""

import json
import logging
import threading

import firebase_admin
import requests
from firebase_admin import credentials, exceptions, messaging

from django.conf import settings

from .base import ACCEPTED, FAILED, RETRY, BaseBackend, Content, SendResult, truncate_utf16

logger = logging.getLogger(__name__)

FCM_BATCH_LIMIT = 500
TITLE_LIMIT = 100
TEXT_LIMIT = 500
TRANSIENT = (exceptions.UnavailableError, exceptions.InternalError, exceptions.DeadlineExceededError)
_apps = {}
_apps_lock = threading.Lock()


def _credential_source(params):
    source = params.get("CREDENTIALS_JSON") or settings.FCM_CREDENTIALS_JSON
    if source:
        return json.loads(source) if isinstance(source, str) else source
    return params.get("CREDENTIALS_FILE") or settings.FCM_CREDENTIALS_FILE


def firebase_app(params):
    """A firebase-admin app for the configured credentials and endpoint, created once per process."""
    source = _credential_source(params)
    base_url = params.get("BASE_URL", settings.FCM_API_BASE_URL).rstrip("/")
    key = (json.dumps(source, sort_keys=True), base_url)
    with _apps_lock:
        if key not in _apps:
            app = firebase_admin.initialize_app(
                credentials.Certificate(source), options={"httpTimeout": 10}, name=f"oyako-{len(_apps)}"
            )
            service = messaging._get_messaging_service(app)
            if base_url != "https://fcm.googleapis.com":
                # firebase-admin has no endpoint option; its service keeps the URL it posts to in
                # _fcm_url (firebase_admin/messaging.py, _MessagingService.__init__).
                service._fcm_url = f"{base_url}/v1/projects/{app.project_id}/messages:send"
                service._client.session.mount(
                    base_url, requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=100)
                )
            _apps[key] = app
        return _apps[key]


def build_messages(tokens, content):
    """One FCM message per token (send_each posts each on its own)."""
    notification = messaging.Notification(
        title=truncate_utf16(content.title, TITLE_LIMIT),
        body=truncate_utf16(content.text, TEXT_LIMIT),
        image=content.image_url or None,
    )
    data = {"url": content.url, "language": content.language}
    return [messaging.Message(token=token, notification=notification, data=data) for token in tokens]


class FcmBackend(BaseBackend):
    """Sends with ``firebase_admin.messaging.send_each`` in batches of at most 500 tokens."""

    def __init__(self, channel, **params):
        super().__init__(channel, **params)
        self.app = firebase_app(params)

    def push(self, identifier, messages, retry_key, title="", language="ja"):
        """The app shows one notification: the first text, opening its first link."""
        from ..messages import Text

        first = next((m for m in messages if isinstance(m, Text)), None)
        text = first.text if first else ""
        url = first.links[0].url if first and first.links else ""
        content = Content(title=title or text[:40], text=text, url=url, language=language)
        return self.send([identifier], content, retry_key)

    def send(self, identifiers, content, retry_key):
        tokens = list(identifiers)[:FCM_BATCH_LIMIT]
        if not tokens:
            return SendResult(ACCEPTED, delivered=0)
        try:
            response = messaging.send_each(build_messages(tokens, content), app=self.app)
        except exceptions.FirebaseError as error:
            return SendResult(RETRY, error=f"FCM: {error.code}")
        dead, transient, final = [], 0, []
        for token, result in zip(tokens, response.responses, strict=True):
            if result.success:
                continue
            error = result.exception
            if isinstance(error, messaging.UnregisteredError):
                dead.append(token)
            elif isinstance(error, TRANSIENT) or getattr(error, "code", "") == "RESOURCE_EXHAUSTED":
                transient += 1
            else:
                final.append(getattr(error, "code", type(error).__name__))
        delivered = response.success_count
        if delivered == 0 and transient:
            return SendResult(RETRY, error=f"FCM: {transient} transient errors", dead_identifiers=dead)
        errors = []
        if transient:
            # Never resent: some messages of this batch were accepted and FCM has no retry key.
            errors.append(f"{transient} not delivered (transient)")
        if final:
            errors.append(f"{len(final)} rejected ({', '.join(sorted(set(final)))})")
        if dead:
            errors.append(f"{len(dead)} unregistered")
        if delivered == 0 and not dead and final:
            return SendResult(FAILED, error="FCM: " + "; ".join(errors))
        return SendResult(ACCEPTED, delivered=delivered, error="; ".join(errors), dead_identifiers=dead)
