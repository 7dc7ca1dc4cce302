"""An email backend that hands messages to Celery after commit, so no request or transaction
waits on (or fails with) the mail server. Wagtail's moderation emails go through it in production.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def serialize(message):
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def deserialize(data):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each message as a Celery task on commit; the task sends it with QUEUED_EMAIL_BACKEND."""

    def send_messages(self, email_messages):
        from .tasks import send_queued_email

        for message in email_messages:
            data = serialize(message)
            transaction.on_commit(lambda data=data: send_queued_email.delay(data))
        return len(email_messages)


def real_connection():
    return get_connection(settings.QUEUED_EMAIL_BACKEND)
