"""Direct messages: one message to one follower that is not a notification.

A booking confirmation or reminder, a consultation staff member's reply, a self-check follow-up
invitation. They share the push pipeline's promises without being "notifications issued":

- **Recorded, then queued on commit.** :func:`record` writes one :class:`DirectMessage` row in
  the caller's transaction (unique per ``key``: recording it again returns the first row and sends
  nothing more) and queues :func:`notifications.tasks.send_direct` when that transaction commits.
- **Checked at the moment of sending.** A row may name a ``check``: the dotted path of a function
  ``f(row) -> reason or None``, asked before every attempt; a reason cancels the row (a reminder of
  a cancelled booking, an invitation whose consent was withdrawn, words no longer approved).
- **Claimed, sent outside any transaction, recorded by the claim holder.** A conditional UPDATE
  claims a row; the send happens with no transaction open; only the holder of the current claim
  records the result. Transient failures are retried with backoff under the row's stored
  X-Line-Retry-Key (a repeat answers 409, already accepted); the sweeper (every minute) sends what is
  due and recovers rows a dead worker left ``sending``. The app (FCM) has no retry key: a row handed
  to FCM and never recorded counts as sent rather than being sent twice.
- **In order per recipient.** Rows to one recipient are sent in the order recorded: a later row
  waits while an earlier due one is unsent.
- **Forgotten once sent.** The words and the LINE user ID or device leave the row when it is sent,
  failed or cancelled; what remains is what it was, when, and how it ended.
"""

import datetime
import hashlib
import hmac
import logging
import random
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from . import messages as neutral
from .backends.base import ACCEPTED, RETRY
from .models import Channel, DirectMessage, DirectStatus
from .ratelimit import RateBudget

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = datetime.timedelta(minutes=5)
SWEEP_GRACE = datetime.timedelta(seconds=30)
FORGOTTEN = {"payload": [], "line_user_id": None, "device": None, "title": ""}


def recipient_key(identifier):
    secret = (settings.NOTIFICATIONS_EVENT_CLOCK_KEY or settings.SECRET_KEY).encode()
    return hmac.new(secret, f"direct:{identifier}".encode(), hashlib.sha256).hexdigest()


def record(
    *, kind, key, messages, language="ja", line_user_id=None, device=None, check="", not_before=None, title=""
):
    """Record one direct message and queue it when the current transaction commits.

    Args:
        kind: what it is (at most 40 characters), shown in the admin.
        key: unique per message; recording an existing key returns that row unchanged.
        messages: neutral messages (:mod:`notifications.messages`: Text, Carousel), at most five.
        language: the recipient's language.
        line_user_id: the LINE follower's user ID, or
        device: an :class:`~notifications.models.AppDevice` (the first Text becomes its notification).
        check: dotted path of ``f(row) -> reason or None``, asked at every attempt to send.
        not_before: an aware datetime before which it is not sent.
        title: the app notification's title (FCM only).

    Returns:
        The :class:`DirectMessage` row.

    Raises:
        ValueError: no recipient, both recipients, or a message that cannot be kept.
    """
    if bool(line_user_id) == bool(device):
        raise ValueError("A direct message goes to one LINE user ID or one app device.")
    if check:
        import_string(check)  # a typo fails here, not at 3 a.m. in the worker
    channel = Channel.LINE if line_user_id else Channel.FCM
    identifier = line_user_id or f"device:{device.pk}"
    existing = DirectMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = DirectMessage.objects.create(
                kind=kind[:40],
                key=key,
                channel=channel,
                line_user_id=line_user_id,
                device=device,
                recipient_key=recipient_key(identifier),
                language=language,
                title=title[:100],
                payload=neutral.dump(messages[: neutral.MAX_MESSAGES]),
                send_check=check,
                not_before=not_before,
            )
    except IntegrityError:
        return DirectMessage.objects.get(key=key)
    pk, delay = row.pk, _delay_until(not_before)
    transaction.on_commit(lambda: _queue(pk, delay))
    return row


def cancel(key, reason=""):
    """Cancel the pending direct message ``key``, if there is one. Returns whether it was."""
    return bool(
        DirectMessage.objects.filter(key=key, status=DirectStatus.PENDING).update(
            status=DirectStatus.CANCELLED, reason=reason[:300], **FORGOTTEN
        )
    )


def _delay_until(moment):
    if moment is None:
        return None
    seconds = (moment - timezone.now()).total_seconds()
    # Long waits are left to the sweeper: a broker may not keep a countdown of days.
    return seconds if 0 < seconds <= 3600 else (None if seconds <= 0 else False)


def _queue(pk, delay=None):
    from .tasks import send_direct

    if delay is False:
        return  # due in more than an hour: the sweeper queues it when it is due
    try:
        send_direct.apply_async((pk,), countdown=delay)
    except Exception as error:  # the broker is down: the sweeper sends it later
        logger.warning(
            "Direct message %s not queued (%s); the sweeper will send it", pk, type(error).__name__
        )


def _due(now):
    return Q(not_before__isnull=True) | Q(not_before__lte=now)


def _claim(row, now):
    """Claim ``row`` if it is the first unsent due message to its recipient. Returns the claim
    token, or None when another message must go first, it is not due, or someone else holds it."""
    earlier = (
        DirectMessage.objects.filter(recipient_key=row.recipient_key, pk__lt=row.pk)
        .filter(Q(status=DirectStatus.SENDING) | (Q(status=DirectStatus.PENDING) & _due(now)))
        .exists()
    )
    if earlier:
        return None
    token = uuid.uuid4()
    claimed = (
        DirectMessage.objects.filter(pk=row.pk, status=DirectStatus.PENDING)
        .filter(_due(now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=DirectStatus.SENDING, claim_token=token, claimed_at=now, attempts=row.attempts + 1)
    )
    return token if claimed else None


def _finish(pk, token, **fields):
    """Record a result, only for the current claim holder."""
    return DirectMessage.objects.filter(pk=pk, claim_token=token).update(claim_token=None, **fields)


def _check_reason(row):
    if not row.send_check:
        return None
    try:
        return import_string(row.send_check)(row)
    except Exception as error:  # an unanswerable check must not send: try again later
        logger.warning("Direct message %s: its check failed (%s)", row.pk, type(error).__name__)
        raise


def backoff(attempt):
    base = settings.NOTIFICATIONS_BACKOFF_SECONDS
    return random.uniform(min(1, base), min(600, 2**attempt * base))


def send(pk, backends=None):
    """Send the direct message ``pk`` if it is due and first in its recipient's line, then any
    later message to the same recipient that was waiting behind it.

    Returns:
        Seconds until this row should be tried again, or None.
    """
    from .backends import get_backends

    row = DirectMessage.objects.filter(pk=pk).first()
    if row is None or row.status not in (DirectStatus.PENDING,):
        return None
    own_backends = backends is None
    backends = backends if backends is not None else get_backends()
    try:
        retry_in = _send_one(row, backends)
        if retry_in is None:
            # Whatever waited behind it may go now, in order.
            for follower_pk in _waiting_behind(row):
                follower = DirectMessage.objects.get(pk=follower_pk)
                if _send_one(follower, backends) is not None:
                    break
        return retry_in
    finally:
        if own_backends:
            for backend in backends.values():
                backend.close()


def _waiting_behind(row):
    now = timezone.now()
    return list(
        DirectMessage.objects.filter(
            recipient_key=row.recipient_key, pk__gt=row.pk, status=DirectStatus.PENDING
        )
        .filter(_due(now))
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )


def _send_one(row, backends):
    now = timezone.now()
    token = _claim(row, now)
    if token is None:
        row.refresh_from_db()
        if row.status == DirectStatus.PENDING and row.next_attempt_at and row.next_attempt_at > now:
            return (row.next_attempt_at - now).total_seconds()
        return None
    row.refresh_from_db()
    try:
        reason = _check_reason(row)
    except Exception:
        delay = backoff(row.attempts)
        _finish(
            row.pk,
            token,
            status=DirectStatus.PENDING,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
        )
        return delay
    if reason:
        _finish(row.pk, token, status=DirectStatus.CANCELLED, reason=str(reason)[:300], **FORGOTTEN)
        logger.info("Direct message %s (%s) cancelled at sending: %s", row.pk, row.kind, reason)
        return None
    backend = backends.get(row.channel)
    identifier = (
        row.line_user_id if row.channel == Channel.LINE else (row.device.token if row.device else None)
    )
    if backend is None or not identifier:
        _finish(
            row.pk,
            token,
            status=DirectStatus.FAILED,
            reason="The recipient can no longer be reached.",
            **FORGOTTEN,
        )
        return None
    if row.channel == Channel.FCM:
        # FCM has no retry key: once handed over, never handed over again (see the module doc).
        DirectMessage.objects.filter(pk=row.pk, claim_token=token).update(handed_over_at=timezone.now())
    RateBudget(row.channel).acquire()
    result = backend.push(
        identifier, neutral.load(row.payload), row.retry_key, title=row.title, language=row.language
    )
    done = timezone.now()
    if result.outcome == ACCEPTED:
        if result.recorded:
            # Development: "recorded, not sent" keeps what would have been said, for the demo.
            _finish(
                row.pk, token, status=DirectStatus.SENT, sent_at=done, recorded=True, payload=result.payload
            )
        else:
            _finish(row.pk, token, status=DirectStatus.SENT, sent_at=done, **FORGOTTEN)
        return None
    if row.channel == Channel.FCM and result.dead_identifiers:
        from .models import AppDevice

        AppDevice.objects.deactivate_tokens(result.dead_identifiers)
    if result.outcome == RETRY and row.attempts < MAX_ATTEMPTS and row.channel == Channel.LINE:
        delay = backoff(row.attempts)
        _finish(
            row.pk,
            token,
            status=DirectStatus.PENDING,
            next_attempt_at=done + datetime.timedelta(seconds=delay),
            reason=result.error[:300],
        )
        return delay
    _finish(row.pk, token, status=DirectStatus.FAILED, reason=result.error[:300], **FORGOTTEN)
    logger.warning("Direct message %s (%s) failed: %s", row.pk, row.kind, result.error)
    return None


def sweep(now=None):
    """Queue every due pending row not queued lately, and recover rows whose worker died.

    Returns:
        The primary keys queued.
    """
    now = now or timezone.now()
    stale = now - LEASE
    # A dead worker's LINE row is resent with its retry key; an FCM row handed over counts as sent.
    DirectMessage.objects.filter(
        status=DirectStatus.SENDING, claimed_at__lt=stale, channel=Channel.FCM, handed_over_at__isnull=False
    ).update(
        status=DirectStatus.SENT,
        sent_at=now,
        claim_token=None,
        reason="Handed to FCM; result unknown",
        **FORGOTTEN,
    )
    DirectMessage.objects.filter(status=DirectStatus.SENDING, claimed_at__lt=stale).update(
        status=DirectStatus.PENDING, claim_token=None, next_attempt_at=None
    )
    due = (
        DirectMessage.objects.filter(status=DirectStatus.PENDING)
        .filter(_due(now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        # Fresh rows were queued on commit; a row tried before, timed or recovered is due now.
        .filter(Q(created_at__lt=now - SWEEP_GRACE) | Q(not_before__isnull=False) | Q(attempts__gt=0))
        .order_by("recipient_key", "pk")
    )
    # The first of each recipient's line: the task sends the rest behind it in order.
    firsts, seen = [], set()
    for pk, key in due.values_list("pk", "recipient_key")[:1000]:
        if key not in seen:
            seen.add(key)
            firsts.append(pk)
    for pk in firsts:
        _queue(pk)
    return firsts
