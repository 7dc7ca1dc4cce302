"""The bot's Celery task: answer one LINE text message with the reply API, on the webhook queue.

What the parent wrote reaches this task through the broker and is never logged or stored, except a
masked copy of a question the bot could not answer (never a crisis message), kept 30 days at most.
"""

import datetime
import logging
import random
import time

from celery import shared_task

from django.db import transaction
from django.utils import timezone

from wagtail import hooks

from . import answering
from .backends import get_reply_backend
from .backends.base import ReplyExpired, ReplyFailed, ReplyRetry
from .masking import mask
from .models import UNANSWERED_RETENTION, BotReply, Route, UnansweredQuestion

logger = logging.getLogger(__name__)

# LINE accepts a reply token for about a minute after the event; retries stop short of that.
REPLY_TOKEN_LIFETIME = 50  # seconds
MAX_RETRIES = 5


def _backoff(retries, seconds_left):
    """Exponential backoff with jitter, never past the reply token's life."""
    return min(seconds_left, random.uniform(0.5, 1.0) * 2**retries)


def _follower_language(user_id):
    from notifications.models import LineFollower

    language = LineFollower.objects.filter(line_user_id=user_id).values_list("language", flat=True).first()
    return language or answering.supported_language(None)


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def answer_message(self, user_id, reply_token, text, webhook_event_id, timestamp_ms):
    """Answer a follower's text message once, through the configured reply backend.

    Args:
        user_id: the sender's LINE user ID (for their language and a survey invitation only).
        reply_token: the event's reply token.
        text: what they wrote.
        webhook_event_id: the event's ID; one reply row per event.
        timestamp_ms: the event's time, which bounds how long the reply token lives.
    """
    if BotReply.objects.filter(webhook_event_id=webhook_event_id).exists():
        return None
    language = _follower_language(user_id)
    answer = answering.answer(text, language, line_user_id=user_id, webhook_event_id=webhook_event_id)
    return _reply(self, answer, reply_token, webhook_event_id, timestamp_ms, text)


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def answer_postback(self, user_id, reply_token, fields, params, webhook_event_id, timestamp_ms):
    """Answer a tap on a feature's button (postback data ``f=<feature>&...``) once: the feature that
    owns it answers through :func:`guidance.conversation.route`; a stale button gets a calm reply.

    Args:
        user_id: the follower's LINE user ID.
        reply_token: the event's reply token.
        fields: the postback data's fields.
        params: the postback's params (a date picker's chosen date), if any.
        webhook_event_id: the event's ID; one reply row per event.
        timestamp_ms: the event's time.
    """
    if BotReply.objects.filter(webhook_event_id=webhook_event_id).exists():
        return None
    language = _follower_language(user_id)
    answer = answering.answer_postback(
        fields, params, language, line_user_id=user_id, webhook_event_id=webhook_event_id
    )
    return _reply(self, answer, reply_token, webhook_event_id, timestamp_ms, None)


def _reply(task, answer, reply_token, webhook_event_id, timestamp_ms, text):
    """Send ``answer`` with the reply token (retrying transient failures while it lives) and record
    the route. An answer without messages (handled, nothing to say) is recorded only."""
    if not answer.messages:
        _record(answer, webhook_event_id, text)
        return answer.route
    seconds_left = timestamp_ms / 1000 + REPLY_TOKEN_LIFETIME - time.time()
    if seconds_left <= 0:
        logger.warning("Bot reply not sent: the reply token has expired (route %s)", answer.route)
        return None
    # Other apps may adjust the links (measurement: the counted short link) with a function
    # ``(answer) -> answer`` registered as ``guidance_reply_answer``; guidance never imports them.
    for adjust in hooks.get_hooks("guidance_reply_answer"):
        answer = adjust(answer)
    try:
        get_reply_backend().reply(reply_token, answer)
    except ReplyRetry as error:
        if task.request.retries < task.max_retries and seconds_left > 1:
            logger.info("Bot reply will be retried: %s", error)
            raise task.retry(exc=error, countdown=_backoff(task.request.retries, seconds_left - 1)) from error
        logger.warning("Bot reply not sent, no time left to retry: %s", error)
        return None
    except ReplyExpired:
        logger.warning("Bot reply not sent: LINE refused the reply token (route %s)", answer.route)
        return None
    except ReplyFailed as error:
        logger.warning("Bot reply not sent: %s (route %s)", error, answer.route)
        return None
    _record(answer, webhook_event_id, text)
    return answer.route


def _record(answer, webhook_event_id, text):
    with transaction.atomic():
        _row, created = BotReply.objects.get_or_create(
            webhook_event_id=webhook_event_id, defaults={"route": answer.route, "language": answer.language}
        )
        # Only a question nobody could answer is kept, masked; a crisis message never is.
        if created and answer.route == Route.FALLBACK and text:
            UnansweredQuestion.objects.create(text=mask(text)[:1000], language=answer.language)


def queue_answer(user_id, reply_token, text, webhook_event_id, timestamp_ms):
    """Queue :func:`answer_message`; the readable copy of its arguments that Celery logs and sends to
    monitors (``argsrepr``) names the event only, never what was written or who wrote it."""
    answer_message.apply_async(
        (user_id, reply_token, text, webhook_event_id, timestamp_ms),
        argsrepr=f"(event {webhook_event_id})",
        kwargsrepr="{}",
    )


def queue_postback(user_id, reply_token, fields, params, webhook_event_id, timestamp_ms):
    """Queue :func:`answer_postback`, naming only the event in what Celery logs."""
    answer_postback.apply_async(
        (user_id, reply_token, fields, params, webhook_event_id, timestamp_ms),
        argsrepr=f"(event {webhook_event_id})",
        kwargsrepr="{}",
    )


@shared_task
def purge_unanswered_questions(days=None):
    """Delete unanswered questions older than 30 days (the promise made to parents)."""
    retention = datetime.timedelta(days=days) if days is not None else UNANSWERED_RETENTION
    deleted, _rows = UnansweredQuestion.objects.filter(received_at__lt=timezone.now() - retention).delete()
    logger.info("Purged %d unanswered bot questions", deleted)
    return deleted
