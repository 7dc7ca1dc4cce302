"""Reply backends: LINE's reply API through line-bot-sdk, and a recording one for development.

A reply is not a notification: it answers one message with its reply token, does not go through
``notifications.issue`` and counts toward no KPI. ``linebot`` is imported only when a reply is sent.
"""

import logging
from collections import deque

from django.conf import settings

from .base import (
    BaseReplyBackend,
    Carousel,
    ReplyExpired,
    ReplyFailed,
    ReplyRetry,
    SettingsChoices,
    Text,
)

logger = logging.getLogger(__name__)

TEXT_LIMIT = 5000
ALT_TEXT_LIMIT = 400
CARD_TITLE_LIMIT = 40
CARD_TEXT_LIMIT = 60
BUTTON_LIMIT = 20
MAX_MESSAGES = 5
MAX_QUICK_REPLIES = 13
POSTBACK_DATA_LIMIT = 300


def _cut(text, limit):
    from notifications.backends.base import truncate_utf16

    return truncate_utf16(" ".join(str(text).split()) if limit <= CARD_TEXT_LIMIT else str(text), limit)


def message_text(message):
    """A Text message as one string: the text, then each link as its label and address."""
    lines = [message.text, *(f"▶ {link.label}\n{link.url}" for link in message.links)]
    return "\n\n".join(lines)


def to_line(message):
    """A line-bot-sdk message for one neutral message."""
    from linebot.v3 import messaging as line

    if isinstance(message, Text):
        quick_reply = None
        if message.quick_replies:
            items = [line.QuickReplyItem(action=quick_reply_action(q)) for q in message.quick_replies]
            quick_reply = line.QuickReply(items=items[:MAX_QUICK_REPLIES])
        return line.TextMessage(text=_cut(message_text(message), TEXT_LIMIT), quickReply=quick_reply)
    if isinstance(message, Carousel):
        columns = [
            line.CarouselColumn(
                title=_cut(card.title, CARD_TITLE_LIMIT),
                text=_cut(card.text or card.title, CARD_TEXT_LIMIT),
                actions=[line.URIAction(label=_cut(card.button, BUTTON_LIMIT), uri=card.url)],
                defaultAction=line.URIAction(label=_cut(card.button, BUTTON_LIMIT), uri=card.url),
            )
            for card in message.cards
        ]
        return line.TemplateMessage(
            altText=_cut(message.alt_text, ALT_TEXT_LIMIT), template=line.CarouselTemplate(columns=columns)
        )
    if isinstance(message, SettingsChoices):
        from notifications.tasks import follow_greeting

        return follow_greeting(message.language)
    raise TypeError(f"Not a bot message: {type(message).__name__}")


def quick_reply_action(quick_reply):
    """The line-bot-sdk action for one :class:`QuickReply` (labels cut to LINE's 20 characters)."""
    from linebot.v3 import messaging as line

    label = _cut(quick_reply.label, BUTTON_LIMIT)
    if quick_reply.picker:
        limits = {
            key: value
            for key, value in (
                ("initial", quick_reply.initial),
                ("min", quick_reply.min),
                ("max", quick_reply.max),
            )
            if value
        }
        return line.DatetimePickerAction(
            label=label, data=quick_reply.data[:POSTBACK_DATA_LIMIT], mode=quick_reply.picker, **limits
        )
    if quick_reply.data:
        return line.PostbackAction(
            label=label,
            data=quick_reply.data[:POSTBACK_DATA_LIMIT],
            displayText=_cut(quick_reply.text or quick_reply.label, 300),
        )
    return line.MessageAction(label=label, text=_cut(quick_reply.text or quick_reply.label, 300))


def describe(message):
    """A neutral message as a plain dict, for the recording backend and tests."""
    if isinstance(message, Text):
        described = {"type": "text", "text": message_text(message)}
        if message.quick_replies:
            described["quick_replies"] = [
                {"label": q.label, "data": q.data, "text": q.text, "picker": q.picker}
                for q in message.quick_replies
            ]
        return described
    if isinstance(message, Carousel):
        return {
            "type": "carousel",
            "alt_text": message.alt_text,
            "urls": [card.url for card in message.cards],
        }
    if isinstance(message, SettingsChoices):
        return {"type": "settings", "language": message.language}
    raise TypeError(f"Not a bot message: {type(message).__name__}")


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
