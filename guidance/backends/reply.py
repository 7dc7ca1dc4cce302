"""Reply backends: LINE's reply API through line-bot-sdk, and a recording one for development.

A reply is not a notification: it answers one message with its reply token, does not go through
``notifications.issue`` and counts toward no KPI. ``linebot`` is imported only when a reply is sent.
"""

import logging
from collections import deque

from django.conf import settings

from notifications.messages import MAX_MESSAGES, describe, to_line

from .base import BaseReplyBackend, ReplyExpired, ReplyFailed, ReplyRetry

logger = logging.getLogger(__name__)


class LineReplyBackend(BaseReplyBackend):
    """Replies through LINE's Messaging API (``LINE_API_BASE_URL`` may point at a fake)."""

    def reply(self, reply_token, answer):
        from linebot.v3 import messaging as line
        from urllib3.exceptions import HTTPError as Urllib3HTTPError

        timeout = tuple(self.params.get("TIMEOUT", (3, 10)))
        request = line.ReplyMessageRequest(
            replyToken=reply_token, messages=[to_line(message) for message in answer.messages[:MAX_MESSAGES]]
        )
        configuration = line.Configuration(
            host=settings.LINE_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
        )
        try:
            with line.ApiClient(configuration) as client:
                line.MessagingApi(client).reply_message(request, _request_timeout=timeout)
        except line.ApiException as error:
            status = error.status or 0
            if status == 429 or status >= 500:
                raise ReplyRetry(f"LINE answered {status}") from error
            if status == 400 and "reply token" in (error.body or "").lower():
                raise ReplyExpired("LINE refused the reply token") from error
            raise ReplyFailed(f"LINE answered {status}") from error
        except (Urllib3HTTPError, OSError) as error:
            raise ReplyRetry(type(error).__name__) from error


class RecordingReplyBackend(BaseReplyBackend):
    """Keeps replies in memory instead of sending them ("recorded, not sent"): development and tests.

    Only the route is logged, never what was said or written.
    """

    recorded = True
    replies = deque(maxlen=200)

    def reply(self, reply_token, answer):
        RecordingReplyBackend.replies.append(
            {
                "reply_token": reply_token,
                "route": answer.route,
                "messages": [describe(m) for m in answer.messages],
            }
        )
        logger.info("Bot reply recorded, not sent (route %s)", answer.route)
