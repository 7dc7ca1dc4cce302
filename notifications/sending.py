"""Fan-out of one notification: plan batches once, claim each with a conditional UPDATE, send
outside any transaction (several at once, from a thread pool that never touches the database) and
record each result in its own short UPDATE.

Why it is safe to run twice or to die half-way: a batch is planned once (under a row lock on the
notification), claimed by exactly one worker, and a batch whose worker died stays "sending" until
its lease expires, when it is resent with the retry key stored before its first attempt; LINE
answers 409 for a key it already accepted, which counts as sent. FCM has no retry key: an FCM batch
handed over but never recorded is counted as sent instead (:func:`claim`). Only the run holding a
batch's current claim sends it or records its result.
"""

import dataclasses
import datetime
import logging
import random
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail import hooks

from .backends import get_backends
from .backends.base import ACCEPTED, RETRY, Content, SendResult
from .models import (
    AppDevice,
    Batch,
    BatchStatus,
    Channel,
    LineFollower,
    Notification,
    NotificationStatus,
    QuotaReading,
    RecordedMessage,
)
from .models.outbox import OPEN_STATUSES
from .ratelimit import RateBudget
from .services import announceable_translation, cancel_if_withdrawn

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
SUBSCRIBERS = {Channel.LINE: LineFollower, Channel.FCM: AppDevice}
# Channels without a retry key: a batch handed to them once is never handed to them again. LINE's
# batches are resent with their stored X-Line-Retry-Key (a repeat answers 409, already accepted).
SENT_ONCE_CHANNELS = frozenset({Channel.FCM})


class TransientSendError(Exception):
    """A passing failure (the channel unreachable, 429, 5xx): the send task tries again later."""


@dataclasses.dataclass
class RunSummary:
    """What one run of the send task did, and when the next run is needed (seconds, or None)."""

    sent: int = 0
    retry_in: float | None = None


def backoff(attempt):
    """Exponential backoff with full jitter, so that retries from many workers spread out."""
    base = settings.NOTIFICATIONS_BACKOFF_SECONDS
    return random.uniform(min(1, base), min(600, 2**attempt * base))


def audience_size(life_stages=None, languages=None):
    """How many recipients a notification to these life stages and languages would have now, over
    every channel (the audience :func:`_plan_channel` batches)."""
    return sum(model.objects.audience(life_stages, languages).count() for model in SUBSCRIBERS.values())


def plan_batches(notification_pk, channels):
    """Split the audience into batches (≤500 per channel and language), once per notification."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_pk)
        if notification.planned_at or notification.status not in OPEN_STATUSES:
            return notification
        rows = []
        for channel in channels:
            if channel in SUBSCRIBERS:
                rows += _plan_channel(notification, channel)
        Batch.objects.bulk_create(rows, batch_size=200)
        notification.planned_at = timezone.now()
        notification.status = NotificationStatus.SENDING
        notification.save(update_fields=["planned_at", "status"])
    logger.info("Notification %s: %d batches planned", notification_pk, len(rows))
    return notification


def _plan_channel(notification, channel):
    """Batch rows for one channel: the audience in pk order, ≤500 per language."""
    model = SUBSCRIBERS[channel]
    if notification.chosen_recipients is not None:
        audience = model.objects.active().filter(pk__in=notification.chosen_recipients.get(channel, []))
        if notification.languages:
            audience = audience.filter(language__in=notification.languages)
    else:
        audience = model.objects.audience(notification.life_stages, notification.languages)
    rows, open_batches, counts = [], {}, {}

    def flush(language):
        recipients = open_batches.pop(language)
        index = counts.get(language, 0)
        counts[language] = index + 1
        rows.append(
            Batch(
                notification=notification,
                channel=channel,
                language=language,
                index=index,
                recipients=recipients,
                recipient_count=len(recipients),
            )
        )

    for chunk in audience.recipient_chunks(BATCH_SIZE):
        for pk, _identifier, language in chunk:
            open_batches.setdefault(language, []).append(pk)
            if len(open_batches[language]) == BATCH_SIZE:
                flush(language)
    for language in sorted(open_batches):
        flush(language)
    return rows


def _claimable(now):
    lease_expired = now - settings.NOTIFICATIONS_CLAIM_LEASE
    due = Q(status=BatchStatus.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    stuck = Q(status=BatchStatus.SENDING, claimed_at__lt=lease_expired)
    return due | stuck


def claim(batch_pks):
    """Take batches for sending with one conditional UPDATE; returns those this run is to send.

    A batch another worker holds (and whose lease has not run out) is left alone. Each claim has
    its own token, and only the holder of the current token records a result (:func:`record_result`).
    A batch on a channel without a retry key (FCM) that a worker handed over but never recorded is
    recorded here as sent and not returned: sending it again would reach each phone twice.
    """
    now = timezone.now()
    token = uuid.uuid4()
    Batch.objects.filter(_claimable(now), pk__in=batch_pks).update(
        status=BatchStatus.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    claimed = list(Batch.objects.filter(claim_token=token).order_by("pk"))
    unrecorded = [b for b in claimed if b.channel in SENT_ONCE_CHANNELS and b.handed_over_at is not None]
    for batch in unrecorded:
        logger.warning(
            "Notification %s batch %s was sent by a worker that stopped before recording it; not sent again",
            batch.notification_id,
            batch.pk,
        )
        note = _("Sent by a worker that stopped before recording the result; not sent again.")
        record_result(batch, SendResult(ACCEPTED, delivered=batch.recipient_count, error=note))
    return [batch for batch in claimed if batch not in unrecorded]


def hand_over(batch):
    """Note, just before sending, that ``batch`` goes to its channel; False when this run no longer
    holds the batch's claim (its lease ran out and another worker took it), which then must not send."""
    return bool(
        Batch.objects.filter(pk=batch.pk, status=BatchStatus.SENDING, claim_token=batch.claim_token).update(
            handed_over_at=timezone.now()
        )
    )


def identifiers_for(batches):
    """The current LINE user IDs or tokens of each batch's recipients, with one query per channel.

    Whoever unfollowed or unregistered since planning has no identifier any more and is skipped.
    """
    found = {}
    for channel, model in SUBSCRIBERS.items():
        pks = [pk for batch in batches if batch.channel == channel for pk in batch.recipients]
        if pks:
            rows = model.objects.active().filter(pk__in=pks).values_list("pk", model.ID_FIELD)
            found[channel] = dict(rows)
    return {
        batch.pk: [found[batch.channel][pk] for pk in batch.recipients if pk in found.get(batch.channel, {})]
        for batch in batches
    }


def _absolute(url):
    if url and url.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url or settings.WAGTAILADMIN_BASE_URL


def _image_url(page):
    image = getattr(page, "image", None)
    if image is None:
        return ""
    try:
        return _absolute(image.get_rendition("fill-1040x585").url)
    except Exception:  # a missing file must not stop the notification
        logger.warning("No image rendition for page %s", page.pk, exc_info=True)
        return ""


CONTENT_HOOK = "notification_content"

# Page fields whose words a push may carry: a translation of the page carries its own.
PAGE_TEXT_FIELDS = ("push_text", "summary", "announcement_text")


def content_language(notification, page, language):
    """The one language ``notification`` speaks to a family reading ``language``, and the page's
    translation in it: ``(code, translated page or None)``.

    The words go out in a single language, so the push log's "sent in" is true: the first along
    the language's fallback chain in which every part with words is available. Words taken from
    the page (its title, its summary) need an announceable translation of the page in that
    language; the push's own words (a campaign's or a timed message's text) need the issuer's
    translation in ``notification.texts`` (or ``titles``), still announceable when sending.
    Otherwise the source language.
    """
    from articles.translations import fallback_chain

    title_from_page = page is not None and notification.title == page.title
    text_from_page = _page_text_field(notification, page) is not None
    for code in fallback_chain(language):
        if code == settings.LANGUAGE_CODE:
            break
        translated = announceable_translation(page, code) if page is not None else None
        if translated is None and (title_from_page or text_from_page):
            continue
        if not title_from_page and code not in notification.titles:
            continue
        if notification.text and not text_from_page and code not in notification.texts:
            continue
        own_words = not title_from_page or (notification.text and not text_from_page)
        if own_words and not _own_words_announceable(notification, code):
            continue
        return code, translated
    return settings.LANGUAGE_CODE, None


def _own_words_announceable(notification, code):
    """Whether the translation the issuer took the push's own words from (``words_page`` in
    ``code``) may still be announced now: words from a translation unpublished or out of date
    since the issue never go out (a retry or a sweep may send hours later)."""
    if not notification.words_page_id:
        return False
    return announceable_translation(notification.words_page.specific, code) is not None


def content_for(notification, language):
    """What ``notification`` says in ``language``: every word in the language chosen by
    :func:`content_language` (an approved, up-to-date translation along the fallback chain), the
    Japanese otherwise; the link goes to the page's translation in that language when there is one.
    """
    page = notification.page.specific if notification.page_id else None
    title, text = notification.title, notification.text
    url = _absolute(page.get_full_url()) if page else settings.WAGTAILADMIN_BASE_URL
    image_url = _image_url(page) if page else ""
    code, translated = content_language(notification, page, language)
    if translated is not None:
        url = _absolute(translated.get_full_url())
    if code != settings.LANGUAGE_CODE:
        title = translated.title if page is not None and title == page.title else notification.titles[code]
        page_field = _page_text_field(notification, page)
        if page_field:
            text = _translated_page_text(translated, page_field) or text
        elif text:
            text = notification.texts[code]
    with translation.override(code):
        label = _("Read the article")
    content = Content(title=title, text=text, url=url, image_url=image_url, language=code, button_label=label)
    # Other apps may adjust what is sent (measurement: the counted short link, LINE's aggregation
    # unit) with a function ``(notification, content) -> content``; this module never imports them.
    for adjust in hooks.get_hooks(CONTENT_HOOK):
        content = adjust(notification, content)
    return content


def _page_text_field(notification, page):
    """The page field the notification's text was taken from, or None (the push's own words)."""
    if page is None or not notification.text:
        return None
    return next((name for name in PAGE_TEXT_FIELDS if notification.text == getattr(page, name, None)), None)


def _translated_page_text(translated, name):
    """The translation's counterpart of the page's words in field ``name``."""
    if name in ("push_text", "summary"):
        return getattr(translated, "push_text", "") or getattr(translated, "summary", "")
    return getattr(translated, name, "")


def record_content_languages(batches, contents):
    """Note in which language each batch is sent (its families' own, or a fallback), for the log."""
    by_language = {}
    for batch in batches:
        by_language.setdefault(contents[batch.language].language, []).append(batch.pk)
    for language, pks in by_language.items():
        Batch.objects.filter(pk__in=pks).exclude(content_language=language).update(content_language=language)


def record_result(batch, result):
    """Store one batch's outcome; the first accepted batch is the notification's KPI moment.

    Only the current holder of the batch's claim records (the UPDATEs compare its claim token): the
    result of a worker whose lease ran out while it was sending is dropped, the batch is the new
    holder's. Tokens FCM reported as unregistered are deactivated either way.
    """
    now = timezone.now()
    held = Batch.objects.filter(pk=batch.pk, status=BatchStatus.SENDING, claim_token=batch.claim_token)
    if result.outcome == ACCEPTED:
        recorded = held.update(
            status=BatchStatus.ACCEPTED,
            accepted_at=now,
            recorded=result.recorded,
            recipient_count=result.delivered,
            last_error=result.error,
            not_before=None,
            handed_over_at=None,
        )
        if recorded and result.recorded and result.payload is not None:
            RecordedMessage.objects.get_or_create(
                batch_id=batch.pk,
                defaults={
                    "channel": batch.channel,
                    "recipient_count": result.delivered,
                    "payload": result.payload,
                },
            )
        elif recorded and result.delivered:
            Notification.objects.filter(pk=batch.notification_id, first_accepted_at__isnull=True).update(
                first_accepted_at=now
            )
    elif result.outcome == RETRY and batch.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        # Nothing of the batch was accepted (FCM's backend retries only then): it may go again.
        recorded = held.update(
            status=BatchStatus.PENDING,
            not_before=now + datetime.timedelta(seconds=backoff(batch.attempts)),
            last_error=result.error,
            handed_over_at=None,
        )
    else:
        error = result.error
        if result.outcome == RETRY:
            error = _("Gave up after %(attempts)d attempts: %(error)s") % {
                "attempts": batch.attempts,
                "error": result.error,
            }
        recorded = held.update(status=BatchStatus.FAILED, last_error=error, handed_over_at=None)
        if recorded:
            logger.warning("Notification %s batch %s failed: %s", batch.notification_id, batch.pk, error)
    if not recorded:
        logger.warning(
            "Notification %s batch %s: result of a run that no longer holds the claim, not recorded",
            batch.notification_id,
            batch.pk,
        )
    if result.dead_identifiers:
        AppDevice.objects.deactivate_tokens(result.dead_identifiers)


def finish(notification_pk):
    """Derive the notification's status from its batches; returns seconds until a retry is due."""
    batches = Batch.objects.filter(notification_id=notification_pk)
    counts = set(batches.values_list("status", flat=True).distinct())
    now = timezone.now()
    if BatchStatus.PENDING in counts or BatchStatus.SENDING in counts:
        next_pending = batches.filter(status=BatchStatus.PENDING).aggregate(t=Min("not_before"))["t"]
        oldest_claim = batches.filter(status=BatchStatus.SENDING).aggregate(t=Min("claimed_at"))["t"]
        moments = [next_pending or now] if BatchStatus.PENDING in counts else []
        if oldest_claim:
            moments.append(oldest_claim + settings.NOTIFICATIONS_CLAIM_LEASE)
        return max(1.0, (min(moments) - now).total_seconds())
    accepted, failed = BatchStatus.ACCEPTED in counts, BatchStatus.FAILED in counts
    if accepted and failed:
        status = NotificationStatus.PARTIAL
    elif failed:
        status = NotificationStatus.FAILED
    else:
        status = NotificationStatus.SENT
    Notification.objects.filter(pk=notification_pk, status__in=OPEN_STATUSES).update(
        status=status, finished_at=now
    )
    return None


def send(notification_pk):
    """Send every batch of a notification that is due, and report when the next run is needed.

    Returns:
        A RunSummary.
    """
    summary = RunSummary()
    # Every run is a moment of sending: a first send, a retry after a 5xx, the sweeper's requeue.
    cancel_if_withdrawn(notification_pk)
    notification = Notification.objects.filter(pk=notification_pk).first()
    if notification is None or notification.status not in OPEN_STATUSES:
        return summary
    backends = get_backends()
    budgets = {channel: RateBudget(channel) for channel in backends}
    try:
        if notification.planned_at is None and hold_over_quota(notification, backends):
            return summary
        plan_batches(notification_pk, list(backends))
        contents = {}
        concurrency = max(1, settings.NOTIFICATIONS_SEND_CONCURRENCY)
        candidates = list(
            Batch.objects.filter(_claimable(timezone.now()), notification_id=notification_pk)
            # LINE first: its 500-recipient multicasts reach the most people per request.
            .order_by("-channel", "language", "index")
            .values_list("pk", flat=True)
        )
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="push") as pool:
            in_flight = {}

            def drain(return_when):
                done, _pending = wait(in_flight, return_when=return_when)
                for future in done:
                    batch = in_flight.pop(future)
                    record_result(batch, future.result())
                    summary.sent += 1

            for start in range(0, len(candidates), concurrency):
                if start and cancel_if_withdrawn(notification_pk):
                    break  # withdrawn while this run sent: no further batch goes out
                batches = claim(candidates[start : start + concurrency])
                identifiers = identifiers_for(batches)
                for batch in batches:
                    if batch.language not in contents:
                        contents[batch.language] = content_for(notification, batch.language)
                record_content_languages(batches, contents)
                for batch in batches:
                    backend = backends[batch.channel]
                    content = contents[batch.language]
                    budgets[batch.channel].acquire()
                    if not hand_over(batch):
                        continue
                    future = pool.submit(backend.send, identifiers[batch.pk], content, batch.retry_key)
                    in_flight[future] = batch
                # Keep one group in flight while the next is claimed.
                while len(in_flight) > concurrency:
                    drain(FIRST_COMPLETED)
            if in_flight:
                drain("ALL_COMPLETED")
    finally:
        for backend in backends.values():
            backend.close()
    summary.retry_in = finish(notification_pk)
    return summary


def retry_failed(notification_pk, user=None):
    """Put a notification's failed batches back in the queue (same retry keys); returns how many.

    A notification whose page may no longer reach a parent is cancelled instead (none reopened).
    """
    if cancel_if_withdrawn(notification_pk, user=user):
        return 0
    with transaction.atomic():
        reopened = Batch.objects.filter(notification_id=notification_pk, status=BatchStatus.FAILED).update(
            status=BatchStatus.PENDING, attempts=0, not_before=None
        )
        if reopened:
            Notification.objects.filter(pk=notification_pk).update(
                status=NotificationStatus.SENDING, finished_at=None
            )
    return reopened


# Reliability: LINE's monthly message quota, read before a notification is planned.


def read_quota(backend):
    """Read and store the channel's quota; returns ``(limit or None, used)`` or None (no quota).

    Raises:
        TransientSendError: when the channel could not answer now.
    """
    from .backends.line import is_transient

    try:
        reading = backend.quota()
    except Exception as error:
        if is_transient(error):
            raise TransientSendError(f"LINE quota not read: {type(error).__name__}") from error
        logger.warning("LINE quota not read: %s", getattr(error, "status", error))
        return None
    if reading is not None:
        QuotaReading.objects.create(limit=reading[0], used=reading[1])
    return reading


def hold_over_quota(notification, backends):
    """Hold a notification that would exceed LINE's monthly quota, before a single batch goes out.

    A push is sent whole or not at all: one that does not fit waits (status "held", with the
    figures) for an administrator to release it. A released push is not checked again.

    Returns:
        True when the notification is held.
    """
    backend = backends.get(Channel.LINE)
    if backend is None or notification.released_at is not None:
        return False
    reading = read_quota(backend)
    if reading is None or reading[0] is None:
        return False
    limit, used = reading
    needed = LineFollower.objects.audience(notification.life_stages, notification.languages).count()
    if used + needed <= limit:
        return False
    reason = _(
        "Over the LINE monthly quota: %(used)d of %(limit)d messages used this month, "
        "this push needs %(needed)d."
    ) % {"used": used, "limit": limit, "needed": needed}
    held = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.PENDING, planned_at__isnull=True
    ).update(status=NotificationStatus.HELD, hold_reason=reason[:255])
    if held:
        from wagtail.log_actions import log

        notification.refresh_from_db()
        log(notification, "oyako.push_held", data={"limit": limit, "used": used, "needed": needed})
        logger.warning("Notification %s held: %s", notification.pk, reason)
    return True


def release_held(notification_pk, user=None):
    """Let a held notification go out despite the quota; returns True when it was held.

    The caller queues the send task (on commit). A notification whose page may no longer reach a
    parent is cancelled instead.
    """
    if cancel_if_withdrawn(notification_pk, user=user):
        return False
    released = Notification.objects.filter(pk=notification_pk, status=NotificationStatus.HELD).update(
        status=NotificationStatus.PENDING, released_at=timezone.now(), released_by=user
    )
    if released:
        from wagtail.log_actions import log

        log(Notification.objects.get(pk=notification_pk), "oyako.push_released", user=user)
    return bool(released)


# Reliability: the sweeper's view of what is stuck.


def stuck_notifications(now=None):
    """Open notifications that nothing is going to move on: their task was lost, their worker died
    or their retry was never queued. The primary keys, oldest first.

    Stuck means, for longer than NOTIFICATIONS_SWEEP_GRACE: still pending, or with a batch due
    that nobody claimed, or with every batch done but the status not derived; or with a batch
    claimed past its lease.
    """
    now = now or timezone.now()
    overdue = now - settings.NOTIFICATIONS_SWEEP_GRACE
    lease_expired = now - settings.NOTIFICATIONS_CLAIM_LEASE
    batches = Batch.objects.filter(notification=OuterRef("pk"))
    due_unclaimed = batches.filter(
        Q(status=BatchStatus.PENDING)
        & (Q(not_before__lt=overdue) | Q(not_before__isnull=True, notification__planned_at__lt=overdue))
    )
    claim_expired = batches.filter(status=BatchStatus.SENDING, claimed_at__lt=lease_expired)
    open_batches = batches.filter(status__in=[BatchStatus.PENDING, BatchStatus.SENDING])
    stuck = Q(status=NotificationStatus.PENDING, created_at__lt=overdue) | Q(
        status=NotificationStatus.SENDING
    ) & (Exists(due_unclaimed) | Exists(claim_expired) | Q(planned_at__lt=overdue) & ~Exists(open_batches))
    return list(Notification.objects.filter(stuck).order_by("created_at", "pk").values_list("pk", flat=True))


def mark_recovered(notification_pk):
    """Count one recovery by the sweeper on the notification, for the push log."""
    now = timezone.now()
    Notification.objects.filter(pk=notification_pk).update(
        recoveries=F("recoveries") + 1, last_recovered_at=now
    )
    from wagtail.log_actions import log

    log(Notification.objects.get(pk=notification_pk), "oyako.push_recovered")
