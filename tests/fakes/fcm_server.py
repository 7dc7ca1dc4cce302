"""A fake FCM HTTP v1 endpoint with a Google OAuth token endpoint, for the real firebase-admin."""

import functools
import re
from collections import Counter

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .http import FakeServer

SEND_RE = re.compile(r"^/v1/projects/(?P<project>[^/]+)/messages:send$")
PROJECT_ID = "oyako-hub-sample"


@functools.cache
def _private_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


class FakeFcmServer(FakeServer):
    """``with FakeFcmServer() as fcm: ...``; tokens in ``unregistered`` answer UNREGISTERED (404).

    Attributes:
        delivered: token → messages delivered to it.
        errors: every malformed request (a test expects none).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.delivered = Counter()
        self.unregistered = set()
        self.messages = []
        self.tokens_issued = 0

    def credentials(self):
        """Service-account credentials whose token URI is this server."""
        return {
            "type": "service_account",
            "project_id": PROJECT_ID,
            "private_key_id": "sample-key",
            "private_key": _private_key_pem(),
            "client_email": f"push@{PROJECT_ID}.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": f"{self.base_url}/token",
        }

    def handle(self, method, path, headers, raw):
        with self.lock:
            self.requests.append((method, path))
        if method == "POST" and path == "/token":
            with self.lock:
                self.tokens_issued += 1
            return 200, {}, {"access_token": "fake-fcm-access", "expires_in": 3600, "token_type": "Bearer"}
        match = SEND_RE.match(path)
        if method != "POST" or not match:
            return 404, {}, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}}
        body = self.json_body(raw)
        problem = self._problem(headers, body, match["project"])
        if problem:
            with self.lock:
                self.errors.append(problem)
            return 400, {}, {"error": {"code": 400, "message": problem, "status": "INVALID_ARGUMENT"}}
        scripted = self.next_scripted()
        if isinstance(scripted, int):
            return scripted, {}, {"error": {"code": scripted, "message": "Scripted", "status": "UNAVAILABLE"}}
        token = body["message"]["token"]
        if token in self.unregistered:
            return (
                404,
                {},
                {
                    "error": {
                        "code": 404,
                        "message": "Requested entity was not found.",
                        "status": "NOT_FOUND",
                        "details": [
                            {
                                "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                "errorCode": "UNREGISTERED",
                            }
                        ],
                    }
                },
            )
        with self.lock:
            self.delivered[token] += 1
            self.messages.append(body["message"])
            number = len(self.messages)
        return 200, {}, {"name": f"projects/{PROJECT_ID}/messages/{number}"}

    @staticmethod
    def _problem(headers, body, project):
        if headers.get("Authorization") != "Bearer fake-fcm-access":
            return "missing or wrong access token"
        if project != PROJECT_ID:
            return f"unknown project {project}"
        message = (body or {}).get("message")
        if not isinstance(message, dict) or not isinstance(message.get("token"), str):
            return "message.token is required"
        notification = message.get("notification", {})
        if not notification.get("title") or not notification.get("body"):
            return "message.notification needs a title and a body"
        data = message.get("data", {})
        if any(not isinstance(value, str) for value in data.values()):
            return "message.data values must be strings"
        return ""
