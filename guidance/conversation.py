"""Who owns a parent's words: the one router every LINE message and feature postback goes through.

For each message, in this order:

1. **The crisis check**, always first, whatever is open. When it matches, every feature is told
   (``on_crisis``: a self-check stops, an open consultation moves to the top of its queue) and the
   fixed crisis reply is sent.
2. **The features**, in their ``order``: an open consultation (10), an unfinished self-check or
   booking (20), the sign-up conversation (30). The first whose ``handle`` returns an
   :class:`~guidance.backends.base.Answer` owns the message.
3. Otherwise the bot (menu commands, questions and answers, articles, the kind fallback).

A feature registers itself with the ``guidance_conversation`` Wagtail hook, a function returning a
:class:`ConversationHandler`, so that this module never imports a feature and features never import
each other::

    @hooks.register("guidance_conversation")
    def screening_handler():
        return ScreeningHandler()

Feature postbacks carry their owner's name as ``f=<name>`` in the postback data
(``f=screening&s=12&a=2``); the webhook hands those to :func:`route` and never reads them itself.
Data without ``f`` is the hub's own settings postbacks (life stage, language, dates).

The contract for a handler:

- ``handle`` runs in a Celery task, may be called again for the same event if the reply fails
  transiently, and so must be idempotent per ``incoming.webhook_event_id``.
- It never logs what the parent wrote, and keeps it only where its feature needs it.
- An :class:`Answer` with no messages means "handled, nothing to reply" (a message passed on to a
  consultation's staff, for instance).
- Words it sends parents are content and pass its app's review rule at the moment of sending.
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from wagtail import hooks

from . import crisis

logger = logging.getLogger(__name__)

HOOK = "guidance_conversation"
FEATURE_KEY = "f"
MAX_POSTBACK_FIELDS = 12


@dataclass(frozen=True)
class Incoming:
    """One thing a follower did: wrote ``text``, or tapped a feature's postback (``postback``,
    its fields as a dict, with the date picker's ``params``)."""

    language: str
    line_user_id: str | None = None
    text: str | None = None
    postback: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    webhook_event_id: str | None = None
    channel: str = "line"

    @property
    def feature(self):
        return self.postback.get(FEATURE_KEY, "")


class ConversationHandler:
    """A feature that may own a follower's message. Subclasses set ``name`` (the postback
    namespace) and ``order``, and override :meth:`handle` and, if they keep state a crisis changes,
    :meth:`on_crisis`."""

    name = ""
    order = 50

    def handle(self, incoming):
        """Return an Answer when this feature owns ``incoming``, else None."""
        return None

    def on_crisis(self, incoming):
        """Told after ``incoming.text`` matched the crisis check, before the crisis reply is sent."""


def postback_data(feature, **fields):
    """The postback data for a feature's button: ``f=<feature>`` and its own fields."""
    return urlencode({FEATURE_KEY: feature, **{key: str(value) for key, value in fields.items()}})


def feature_postback(data):
    """The fields of a feature postback, or None when ``data`` is not one (or is malformed)."""
    try:
        fields = {
            key: values[-1]
            for key, values in parse_qs(data or "", max_num_fields=MAX_POSTBACK_FIELDS).items()
        }
    except ValueError:
        return None
    return fields if fields.get(FEATURE_KEY) else None


def handlers():
    found = [make() for make in hooks.get_hooks(HOOK)]
    return sorted(found, key=lambda handler: (handler.order, handler.name))


def route(incoming):
    """The answer of whichever part owns ``incoming`` (see the module doc), or None for the bot.

    The crisis reply is returned for any text that matches the crisis check, after every feature
    has been told; a feature's failure to hear of it never delays or replaces the reply.
    """
    if incoming.text is not None:
        crisis_reply = crisis.check(incoming.text, incoming.language)
        if crisis_reply:
            for handler in handlers():
                try:
                    handler.on_crisis(incoming)
                except Exception as error:  # the crisis reply goes out whatever a feature does
                    # The error's type only: its message could quote what the parent wrote.
                    logger.error(
                        "The %s feature failed to hear of a crisis message (%s)",
                        handler.name,
                        type(error).__name__,
                    )
            return crisis_reply
    for handler in handlers():
        if incoming.postback and incoming.feature != handler.name:
            continue
        found = handler.handle(incoming)
        if found is not None:
            return found
    return None
