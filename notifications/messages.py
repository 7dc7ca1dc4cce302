"""What the hub says to one follower, as plain data, and its LINE form.

The bot's replies (``guidance``) and direct messages to one family (:mod:`notifications.direct`)
are built from these neutral messages; :func:`to_line` turns one into a line-bot-sdk message,
:func:`describe` into a plain dict (recording backends and tests), :func:`dump` and :func:`load`
into JSON for an outbox row and back. ``linebot`` is imported only when a message is converted.
"""

from dataclasses import asdict, dataclass

from .backends.base import truncate_utf16


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class QuickReply:
    """One quick-reply button under a message: a postback (``data``, read by the feature named in
    it, see :mod:`guidance.conversation`), a date picker (``picker`` set to ``"date"``, the chosen
    date arrives in the postback's params) or, without ``data``, a message the button sends as the
    follower's own words (``label`` unless ``text`` is given)."""

    label: str
    data: str = ""
    text: str = ""
    picker: str = ""
    initial: str = ""
    min: str = ""
    max: str = ""


@dataclass(frozen=True)
class Text:
    """A text message, with links written out below it and up to 13 quick-reply buttons."""

    text: str
    links: tuple = ()
    quick_replies: tuple = ()


@dataclass(frozen=True)
class Card:
    title: str
    text: str
    url: str
    button: str


@dataclass(frozen=True)
class Carousel:
    alt_text: str
    cards: tuple


@dataclass(frozen=True)
class SettingsChoices:
    """The life-stage and language choices a new follower is greeted with."""

    language: str


TEXT_LIMIT = 5000
ALT_TEXT_LIMIT = 400
CARD_TITLE_LIMIT = 40
CARD_TEXT_LIMIT = 60
BUTTON_LIMIT = 20
MAX_MESSAGES = 5
MAX_QUICK_REPLIES = 13
POSTBACK_DATA_LIMIT = 300


def _cut(text, limit):
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
        from .tasks import follow_greeting

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


KINDS = {"text": Text, "carousel": Carousel}


def dump(messages):
    """Text and Carousel messages as JSON-ready dicts, for an outbox row."""
    dumped = []
    for message in messages:
        kind = next((name for name, cls in KINDS.items() if isinstance(message, cls)), None)
        if kind is None:
            raise TypeError(f"Not a message that can be kept: {type(message).__name__}")
        dumped.append({"kind": kind, **asdict(message)})
    return dumped


def load(dumped):
    """The messages :func:`dump` wrote."""
    messages = []
    for item in dumped:
        values = dict(item)
        kind = values.pop("kind")
        if kind == "text":
            values["links"] = tuple(Link(**link) for link in values.get("links", ()))
            values["quick_replies"] = tuple(QuickReply(**q) for q in values.get("quick_replies", ()))
            messages.append(Text(**values))
        elif kind == "carousel":
            values["cards"] = tuple(Card(**card) for card in values.get("cards", ()))
            messages.append(Carousel(**values))
    return messages
