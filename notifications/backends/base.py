"""What every channel backend implements, and the text helpers shared by them."""

from dataclasses import dataclass, field

ACCEPTED = "accepted"
RETRY = "retry"
FAILED = "failed"


@dataclass(frozen=True)
class Content:
    """What one notification says in one language."""

    title: str
    text: str
    url: str
    image_url: str = ""
    language: str = "ja"
    button_label: str = ""


@dataclass
class SendResult:
    """The outcome of sending one batch.

    ``outcome`` is ACCEPTED (delivered or already accepted), RETRY (a transient error: try again
    later with the same retry key) or FAILED (a final error, explained in ``error``).
    """

    outcome: str
    delivered: int = 0
    error: str = ""
    recorded: bool = False
    payload: dict | None = None
    dead_identifiers: list = field(default_factory=list)


class BaseBackend:
    """A channel backend. ``send`` runs in a thread pool: it must not touch the database."""

    recorded = False

    def __init__(self, channel, **params):
        self.channel = channel
        self.params = params

    def send(self, identifiers, content, retry_key):
        """Send ``content`` to up to 500 ``identifiers``; ``retry_key`` is the batch's stored key.

        Returns:
            A SendResult.
        """
        raise NotImplementedError

    def push(self, identifier, messages, retry_key, title="", language="ja"):
        """Send neutral ``messages`` (:mod:`notifications.messages`) to one recipient: a direct
        message (:mod:`notifications.direct`). Returns a SendResult like :meth:`send`."""
        raise NotImplementedError

    def quota(self):
        """Reliability: the channel's monthly message quota as ``(limit or None, used)``, or None
        when the channel has no quota to respect. May raise a transient error (retried)."""
        return None

    def close(self):
        """Release connections held for the duration of one task run."""


def utf16_length(text):
    """The length of ``text`` as LINE counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def truncate_utf16(text, limit, ellipsis="…"):
    """``text`` cut to at most ``limit`` UTF-16 code units, never splitting a surrogate pair."""
    if utf16_length(text) <= limit:
        return text
    budget = limit - utf16_length(ellipsis)
    kept, used = [], 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > budget:
            break
        kept.append(char)
        used += size
    return "".join(kept) + ellipsis
