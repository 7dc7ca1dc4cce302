"""The one road from a consultation to a family's (or a staff member's) LINE: the direct-message
outbox (``notifications.direct``: one row, queued on commit, retried, swept, in order per
recipient, not counted as notifications issued). Called inside the transaction that records the
consultation's own row."""

from guidance.backends.base import Text

REPLY_CHECK = "consultations.outbox.still_wanted"


def record(kind, key, texts, language, line_user_id, check=REPLY_CHECK):
    from notifications import direct

    return direct.record(
        kind=kind,
        key=key,
        messages=[text if isinstance(text, Text) else Text(text) for text in texts],
        language=language,
        line_user_id=line_user_id,
        check=check,
    )


def still_wanted(row):
    """Asked at every attempt: a reply whose conversation's text has been purged is not sent."""
    from .models import Conversation, Message

    key = row.key or ""
    if key.startswith("consult:message:"):
        message = Message.objects.filter(pk=key.rsplit(":", 1)[-1]).select_related("conversation").first()
        if message is None or message.conversation.purged_at:
            return "conversation deleted"
    elif (
        key.startswith("consult:closed:")
        and not Conversation.objects.filter(pk=key.rsplit(":", 1)[-1], purged_at__isnull=True).exists()
    ):
        return "conversation deleted"
    return None
