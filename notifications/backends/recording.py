"""The development backend: keeps each message instead of sending it ("recorded, not sent")."""

from .base import ACCEPTED, BaseBackend, SendResult


class RecordingBackend(BaseBackend):
    """Accepts every batch and hands back the message for the task to store as a RecordedMessage."""

    recorded = True

    def send(self, identifiers, content, retry_key):
        payload = {
            "title": content.title,
            "text": content.text,
            "url": content.url,
            "image_url": content.image_url,
            "language": content.language,
            "retry_key": str(retry_key),
        }
        return SendResult(ACCEPTED, delivered=len(identifiers), recorded=True, payload=payload)

    def push(self, identifier, messages, retry_key, title="", language="ja"):
        from ..messages import describe

        payload = {
            "title": title,
            "messages": [describe(message) for message in messages],
            "language": language,
            "retry_key": str(retry_key),
        }
        return SendResult(ACCEPTED, delivered=1, recorded=True, payload=payload)
