"""A fake LINE Messaging API that checks every request against LINE's OpenAPI spec.

It keeps each ``X-Line-Retry-Key`` as LINE does: a key seen again answers 409 and delivers
nothing, so ``delivered`` counts every user ID that would have received a message.
"""

import random
import re
import time
import uuid
from collections import Counter, deque

from . import openapi
from .http import FakeServer

MESSAGING_SPEC = openapi.find_spec("messaging-api.yml")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class FakeLineServer(FakeServer):
    """``with FakeLineServer() as line: ...``; see FakeServer for scripting failures.

    Attributes:
        requests: every request as ``(method, path, headers, body)``.
        errors: every way a request broke the spec (a test expects none).
        delivered: user ID → messages delivered to it.
        profiles: user ID → profile language served by ``GET /v2/bot/profile/{userId}``.
        replies: the body of every reply LINE accepted. A reply token works once; one in
            ``expired_tokens`` (or used before) answers 400 "Invalid reply token", as LINE does.
        rich_menus: rich menu ID → the menu as created; ``rich_menu_images`` holds each uploaded
            image's bytes and ``default_rich_menu`` the ID shown to every user.
        user_rich_menus: user ID → the rich menu linked to that user (per-user and bulk link);
            ``bulk_requests`` counts the bulk link and unlink requests.
        deliveries: (retry key, user ID) → deliveries: a key delivered twice to one user is a double.
        quota_limit: the month's target limit (None: LINE's "none"); ``quota_used`` starts the
            month's consumption, and every delivered message adds one.
        fault_rate: the share of multicasts answered at random with 500, 429 or a late answer.
    """

    def __init__(
        self,
        access_token="fake-line-token",  # noqa: S107 (a fake's token)
        validate=True,
        quota_limit=None,
        fault_rate=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.deliveries = Counter()
        self.quota_limit = quota_limit
        self.quota_used = 0
        self.fault_rate = fault_rate
        self.random = random.Random()
        self.validate = validate
        self.access_token = access_token
        self.delivered = Counter()
        self.accepted_keys = set()
        self.profiles = {}
        self.multicasts = []
        self.pushes = []
        self.replies = []
        self.used_tokens = set()
        self.expired_tokens = set()
        self.reply_script = deque()
        self.rich_menus = {}
        self.rich_menu_images = {}
        self.default_rich_menu = None
        self.user_rich_menus = {}
        self.bulk_requests = 0

    def fail_next_reply(self, *statuses):
        """Make the next replies answer these statuses (500, 503, 429…) before any other check."""
        with self.lock:
            self.reply_script.extend(statuses)

    def multicast_alt_texts(self):
        """What each user received by multicast, as ``{user id: alt text}`` (the last one wins)."""
        with self.lock:
            requests = list(self.requests)
        return {
            user: body["messages"][0]["altText"]
            for _method, path, _headers, body in requests
            if path == "/v2/bot/message/multicast"
            for user in body["to"]
        }

    def __enter__(self):
        # Parse the spec before the first request, so that no request waits for it.
        openapi.load_spec(str(MESSAGING_SPEC))
        return super().__enter__()

    def handle(self, method, path, headers, raw):
        body = None if path.endswith("/content") else self.json_body(raw)
        with self.lock:
            self.requests.append((method, path, dict(headers), body))
        if headers.get("Authorization") != f"Bearer {self.access_token}":
            return self._error(401, "Authentication failed")
        path = path.split("?")[0]
        try:
            if self.validate:
                openapi.validate_request(MESSAGING_SPEC, path, method, body)
        except openapi.OpenApiError as error:
            with self.lock:
                self.errors.append(str(error))
            return self._error(400, "The request body has 1 error(s)")
        if method == "GET" and path.startswith("/v2/bot/profile/"):
            user_id = path.rsplit("/", 1)[1]
            if user_id not in self.profiles:
                return self._error(404, "Not found")
            return 200, {}, {"displayName": "サンプル", "userId": user_id, "language": self.profiles[user_id]}
        if method == "POST" and path == "/v2/bot/message/multicast":
            return self._multicast(headers, body)
        if method == "POST" and path == "/v2/bot/message/push":
            return self._multicast(headers, {**body, "to": [body["to"]]}, log=self.pushes, original=body)
        if method == "GET" and path == "/v2/bot/message/quota":
            if self.quota_limit is None:
                return 200, {}, {"type": "none"}
            return 200, {}, {"type": "limited", "value": self.quota_limit}
        if method == "GET" and path == "/v2/bot/message/quota/consumption":
            with self.lock:
                return 200, {}, {"totalUsage": self.quota_used}
        if method == "POST" and path == "/v2/bot/message/reply":
            return self._reply(body)
        if path.startswith("/v2/bot/richmenu/bulk/") or (
            path.startswith("/v2/bot/user/")
            and "/richmenu" in path
            and not path.startswith("/v2/bot/user/all/")
        ):
            return self._user_rich_menu(method, path, body)
        if path.startswith(("/v2/bot/richmenu", "/v2/bot/user/all/richmenu")):
            return self._rich_menu(method, path, headers, raw, body)
        return self._error(404, "Not found")

    def _reply(self, body):
        with self.lock:
            scripted = self.reply_script.popleft() if self.reply_script else None
            if scripted:
                return self._error(scripted, "Scripted failure")
            token = body["replyToken"]
            if token in self.used_tokens or token in self.expired_tokens:
                return self._error(400, "Invalid reply token")
            self.used_tokens.add(token)
            self.replies.append(body)
        sent = [
            {"id": str(index + 1), "quoteToken": uuid.uuid4().hex} for index in range(len(body["messages"]))
        ]
        return 200, {"x-line-request-id": str(uuid.uuid4())}, {"sentMessages": sent}

    def _rich_menu(self, method, path, headers, raw, body):
        parts = path.strip("/").split("/")  # v2 bot richmenu {id} [content] | v2 bot user all richmenu [{id}]
        with self.lock:
            if method == "POST" and path == "/v2/bot/richmenu":
                menu_id = f"richmenu-{uuid.uuid4().hex}"
                self.rich_menus[menu_id] = {**body, "richMenuId": menu_id}
                return 200, {}, {"richMenuId": menu_id}
            if method == "GET" and path == "/v2/bot/richmenu/list":
                return 200, {}, {"richmenus": list(self.rich_menus.values())}
            if method == "POST" and len(parts) == 5 and parts[4] == "content":
                return self._rich_menu_image(parts[3], headers, raw)
            if method == "DELETE" and len(parts) == 4:
                if self.rich_menus.pop(parts[3], None) is None:
                    return self._error(404, "Not found")
                self.rich_menu_images.pop(parts[3], None)
                if self.default_rich_menu == parts[3]:
                    self.default_rich_menu = None
                return 200, {}, {}
            if method == "POST" and parts[:5] == ["v2", "bot", "user", "all", "richmenu"] and len(parts) == 6:
                if parts[5] not in self.rich_menu_images:
                    return self._error(400, "An image has not been uploaded to the rich menu")
                self.default_rich_menu = parts[5]
                return 200, {}, {}
            if method == "GET" and path == "/v2/bot/user/all/richmenu":
                if self.default_rich_menu is None:
                    return self._error(404, "no default rich menu")
                return 200, {}, {"richMenuId": self.default_rich_menu}
        return self._error(404, "Not found")

    def _user_rich_menu(self, method, path, body):
        """Per-user links: bulk link and unlink (202, as LINE answers), and one user's link."""
        parts = path.strip("/").split("/")  # v2 bot user {userId} richmenu [{richMenuId}]
        with self.lock:
            if method == "POST" and path == "/v2/bot/richmenu/bulk/link":
                if body["richMenuId"] not in self.rich_menu_images:
                    return self._error(400, "An image has not been uploaded to the rich menu")
                self.bulk_requests += 1
                for user_id in body["userIds"]:
                    self.user_rich_menus[user_id] = body["richMenuId"]
                return 202, {}, {}
            if method == "POST" and path == "/v2/bot/richmenu/bulk/unlink":
                self.bulk_requests += 1
                for user_id in body["userIds"]:
                    self.user_rich_menus.pop(user_id, None)
                return 202, {}, {}
            if len(parts) == 6 and method == "POST":
                if parts[5] not in self.rich_menu_images:
                    return self._error(400, "An image has not been uploaded to the rich menu")
                self.user_rich_menus[parts[3]] = parts[5]
                return 200, {}, {}
            if len(parts) == 5 and method == "DELETE":
                self.user_rich_menus.pop(parts[3], None)
                return 200, {}, {}
            if len(parts) == 5 and method == "GET":
                if parts[3] not in self.user_rich_menus:
                    return self._error(404, "the user has no rich menu")
                return 200, {}, {"richMenuId": self.user_rich_menus[parts[3]]}
        return self._error(404, "Not found")

    def _rich_menu_image(self, menu_id, headers, raw):
        # Called with the lock held.
        if menu_id not in self.rich_menus:
            return self._error(404, "Not found")
        if menu_id in self.rich_menu_images:
            return self._error(400, "An image has already been uploaded to the rich menu")
        if headers.get("Content-Type") not in ("image/png", "image/jpeg") or len(raw) > 1024 * 1024:
            self.errors.append(
                f"Rich menu image: bad type {headers.get('Content-Type')!r} or size {len(raw)}"
            )
            return self._error(400, "Invalid image")
        size = self.rich_menus[menu_id]["size"]
        if raw[:8] == b"\x89PNG\r\n\x1a\n":
            width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
            if (width, height) != (size["width"], size["height"]):
                self.errors.append(f"Rich menu image is {width}x{height}, the menu {size}")
                return self._error(400, "Image size does not match the rich menu")
        self.rich_menu_images[menu_id] = raw
        return 200, {}, {}

    def _multicast(self, headers, body, log=None, original=None):
        key = headers.get("X-Line-Retry-Key")
        if key is not None and not UUID_RE.match(key):
            with self.lock:
                self.errors.append(f"X-Line-Retry-Key is not a UUID: {key!r}")
            return self._error(400, "Invalid retry key")
        scripted = self.next_scripted()
        if scripted is None and self.fault_rate and self.random.random() < self.fault_rate:
            scripted = self.random.choice([500, 429, "timeout"])
        if scripted in (429, 500, 503):
            return self._error(scripted, "Scripted failure")
        if scripted == 409:
            return 409, {}, {"message": "The retry key is already accepted", "sentMessages": []}
        if isinstance(scripted, int):
            return self._error(scripted, "Scripted failure")
        with self.lock:
            if key is not None and key in self.accepted_keys:
                return (
                    409,
                    {"x-line-accepted-request-id": str(uuid.uuid4())},
                    {
                        "message": "The retry key is already accepted",
                        "sentMessages": [],
                    },
                )
            if key is not None:
                self.accepted_keys.add(key)
            self.delivered.update(body["to"])
            self.deliveries.update((key, user_id) for user_id in body["to"])
            self.quota_used += len(body["to"])
            (self.multicasts if log is None else log).append(body if original is None else original)
        if scripted == "timeout":
            # Accepted, but the answer comes after the client stopped waiting.
            time.sleep(self.timeout_delay)
        if log is not None:
            sent = [
                {"id": str(index + 1), "quoteToken": uuid.uuid4().hex}
                for index in range(len(body["messages"]))
            ]
            return 200, {"x-line-request-id": str(uuid.uuid4())}, {"sentMessages": sent}
        return 200, {"x-line-request-id": str(uuid.uuid4())}, {}

    @staticmethod
    def _error(status, message):
        return status, {}, {"message": message}
