"""The bot's answers and replies as plain data, and the two backend interfaces.

An answering backend turns a message into an :class:`Answer` (what to say, as neutral messages);
a reply backend delivers those messages with the event's reply token. Neither knows the other, so a
language-model answering backend can replace the offline one without touching the webhook or LINE.
"""

from dataclasses import dataclass, field

# The neutral messages live with the channels that deliver them; re-exported for the bot.
from notifications.messages import Card, Carousel, Link, QuickReply, SettingsChoices, Text  # noqa: F401


@dataclass
class Answer:
    """What the bot says (``messages``, at most five) and by which route it found it."""

    route: str
    messages: list = field(default_factory=list)
    language: str = "ja"


class BaseAnswerBackend:
    """Answers a message that is not a crisis. Return None to let the kind fallback answer."""

    def __init__(self, **params):
        self.params = params

    def answer(self, text, language):
        raise NotImplementedError


class ReplyExpired(Exception):
    """LINE refused the reply token (used, expired or unknown): never retried."""


class ReplyRetry(Exception):
    """A transient failure (network, 429, 5xx): worth retrying while the token lives."""


class ReplyFailed(Exception):
    """Any other refusal: not retried."""


class BaseReplyBackend:
    """Sends an answer's messages with a reply token; raises ReplyExpired, ReplyRetry or ReplyFailed."""

    recorded = False

    def __init__(self, **params):
        self.params = params

    def reply(self, reply_token, answer):
        raise NotImplementedError
