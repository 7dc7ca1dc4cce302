"""Celery tasks of the notifications app.

Subscriber side: handling LINE webhook events, reading a follower's LINE profile for their language,
and greeting a new follower with quick-reply buttons for life stage and language. Every network call
to LINE happens here, never in the webhook request.
"""

import datetime
import logging
import random

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError
from urllib3.exceptions import HTTPError as Urllib3HTTPError

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import events
from .models import LineFollower, LineUserClock, SubscriberStatus, WebhookEvent
from .models.subscribers import add_months, mask

logger = logging.getLogger(__name__)

LINE_TIMEOUT = (3, 10)  # seconds: connect, read
MAX_RETRIES = 6
ONE_DAY = datetime.timedelta(days=1)
WEBHOOK_EVENT_RETENTION_DAYS = 30


def _is_transient(error):
    """Timeouts, connection errors, 429 and 5xx are worth retrying; other answers are final."""
    from linebot.v3 import messaging as line  # the worker's only: the web process never loads the SDK

    if isinstance(error, line.ApiException):
        return error.status == 429 or (error.status or 0) >= 500
    return isinstance(error, Urllib3HTTPError | OSError)


def _backoff(retries):
    """Exponential backoff with full jitter, so retries from many workers do not arrive together."""
    return random.uniform(0, min(300, 2 ** (retries + 1)))


def line_api_client():
    """An ApiClient for the configured LINE channel (LINE_API_BASE_URL may point at a fake)."""
    from linebot.v3 import messaging as line

    configuration = line.Configuration(
        host=settings.LINE_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    return line.ApiClient(configuration)


# Two events for one new user handled at once can collide on the unique user ID; retrying the
# whole body is safe because every event already applied is skipped by its row.
@shared_task(
    queue="webhook",
    acks_late=True,
    autoretry_for=(IntegrityError, OperationalError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def handle_line_events(event_list):
    """Apply the events of one LINE webhook body; each event at most once (see events.handle_event).

    Args:
        event_list: the ``events`` of a webhook body that passed events.validate_payload.
    """
    applied = sum(events.handle_event(event) for event in event_list)
    logger.info("LINE webhook: %d of %d events applied", applied, len(event_list))


def queue_line_events(event_list):
    """Queue :func:`handle_line_events`. The events hold user IDs and what parents wrote to the bot;
    the readable copy of the arguments that Celery logs and shows to monitors (``argsrepr``) names
    only how many events there are."""
    handle_line_events.apply_async(
        (event_list,), argsrepr=f"({len(event_list)} webhook events)", kwargsrepr="{}"
    )


@shared_task
def purge_webhook_events(days=WEBHOOK_EVENT_RETENTION_DAYS):
    """Delete the records of webhook events handled more than ``days`` ago, and the event clocks
    older than NOTIFICATIONS_EVENT_CLOCK_RETENTION.

    LINE redelivers an event for a limited time only, so old rows protect nothing.
    """
    now = timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    deleted, _rows = WebhookEvent.objects.filter(received_at__lt=cutoff).delete()
    clock_cutoff = now - settings.NOTIFICATIONS_EVENT_CLOCK_RETENTION
    clocks, _rows = LineUserClock.objects.filter(updated_at__lt=clock_cutoff).delete()
    logger.info("Purged %d old LINE webhook event records and %d event clocks", deleted, clocks)
    return deleted


def _language_from_profile(profile_language):
    """Our language for a LINE profile language such as "ja", "en" or "zh-Hant", or None."""
    if not profile_language:
        return None
    ours = {code for code, _name in settings.LANGUAGES}
    code = profile_language.lower()
    if code in ours:
        return code
    if code in settings.LINE_LANGUAGE_MAP:
        return settings.LINE_LANGUAGE_MAP[code]
    primary = code.split("-")[0]
    if primary in settings.LINE_LANGUAGE_MAP:
        return settings.LINE_LANGUAGE_MAP[primary]
    # "zh-Hant" is not Simplified Chinese and "ja" stays Japanese: only exact or mapped matches.
    return primary if primary in ours and primary != "zh" else None


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def fetch_line_profile(self, follower_pk):
    """Default a follower's language from their LINE profile, unless they chose one themselves."""
    from linebot.v3 import messaging as line

    if not settings.LINE_CHANNEL_ACCESS_TOKEN:
        logger.info("No LINE access token configured: profile not read")
        return
    follower = LineFollower.objects.filter(pk=follower_pk, status=SubscriberStatus.ACTIVE).first()
    if follower is None or not follower.line_user_id:
        return
    try:
        with line_api_client() as client:
            profile = line.MessagingApi(client).get_profile(
                follower.line_user_id, _request_timeout=LINE_TIMEOUT
            )
    except Exception as error:
        if _is_transient(error):
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
        # 404: the user blocked the account or is not a friend; nothing to learn.
        logger.warning(
            "LINE profile of %s not read: %s", mask(follower.line_user_id), getattr(error, "status", error)
        )
        LineFollower.objects.filter(pk=follower_pk).update(profile_fetched_at=timezone.now())
        return
    now = timezone.now()
    language = _language_from_profile(profile.language)
    # A conditional update: a language chosen by postback meanwhile is never overwritten.
    if language:
        LineFollower.objects.filter(pk=follower_pk, language_chosen=False).update(
            language=language, profile_fetched_at=now
        )
    LineFollower.objects.filter(pk=follower_pk).update(profile_fetched_at=now)


def _short_stage_labels():
    # Quick-reply labels are limited to 20 characters, so these are shorter than LifeStage labels.
    return [
        ("pregnancy_early", _("Early pregnancy")),
        ("pregnancy_mid", _("Mid pregnancy")),
        ("pregnancy_late", _("Late pregnancy")),
        ("postpartum", _("Just gave birth")),
        ("age_0_1", _("Baby 0–1")),
        ("age_1_3", _("Toddler 1–3")),
        ("age_3_6", _("Child 3–6")),
    ]


def _date_picker(label, data, *, min, max):
    from linebot.v3 import messaging as line

    return line.DatetimePickerAction(
        label=label, data=data, mode="date", min=min.isoformat(), max=max.isoformat()
    )


FOLLOW_GREETING_HOOK = "notifications_follow_greeting"


def follow_greeting(language):
    """The greeting a new follower receives: a text with quick-reply buttons to choose a life stage
    (or a due or birth date, from which the stage advances by itself) and a language."""
    from linebot.v3 import messaging as line

    from wagtail import hooks

    # The app that keeps households greets with the first step of its sign-up conversation.
    for make in hooks.get_hooks(FOLLOW_GREETING_HOOK):
        return make(language)
    today = timezone.localdate()
    # The pickers offer only the dates events.parse_postback accepts.
    due_range = {"min": today, "max": add_months(today, events.MAX_MONTHS_TO_DUE + 1) - ONE_DAY}
    born_range = {"min": add_months(today, -events.MAX_CHILD_AGE_MONTHS), "max": today}
    with translation.override(language):
        items = [
            line.QuickReplyItem(action=_date_picker(_("Due date"), "due=1", **due_range)),
            line.QuickReplyItem(action=_date_picker(_("Child's birthday"), "born=1", **born_range)),
        ]
        items += [
            line.QuickReplyItem(
                action=line.PostbackAction(label=label, data=f"stage={code}", displayText=label)
            )
            for code, label in _short_stage_labels()
        ]
        # LINE allows 13 quick replies: the languages get their own menu behind one button, whose
        # label is bilingual so that someone who cannot read the greeting still finds it.
        label = _("Language") if language == "en" else f"{_('Language')} / Language"
        items.append(
            line.QuickReplyItem(
                action=line.PostbackAction(label=label[:20], data="menu=language", displayText=label[:20])
            )
        )
        text = _(
            "Thank you for following. To receive the articles that fit your family, choose your due "
            "date, your child's birthday or your stage below. Until then you receive every article."
        )
        return line.TextMessage(text=text, quickReply=line.QuickReply(items=items))


def language_menu(language):
    """The language menu: one quick reply per configured language, each named in itself."""
    from linebot.v3 import messaging as line

    with translation.override(language):
        items = [
            line.QuickReplyItem(action=line.PostbackAction(label=name, data=f"lang={code}", displayText=name))
            for code, name in settings.LANGUAGES
        ]
        return line.TextMessage(text=_("Choose your language."), quickReply=line.QuickReply(items=items[:13]))


def choice_confirmation(follower):
    """The reply to a postback: what the follower will now receive, in their language."""
    from linebot.v3 import messaging as line

    with translation.override(follower.language):
        stages = follower.current_life_stages()
        if stages:
            labels = ", ".join(str(stage.label) for stage in stages)
            text = _("Saved. You will receive articles for: %(stage)s.") % {"stage": labels}
        elif follower.stage_chosen:
            text = _("Saved. You will receive articles for every family.")
        else:
            text = _("Saved. You will receive every article until you choose a stage.")
        return line.TextMessage(text=text)


def _reply(task, follower_pk, reply_token, build, what):
    """Reply once with ``build(follower)``; a reply token works only once, so a reply never repeats."""
    from linebot.v3 import messaging as line

    if not settings.LINE_CHANNEL_ACCESS_TOKEN:
        logger.info("No LINE access token configured: %s not sent", what)
        return
    follower = LineFollower.objects.filter(pk=follower_pk, status=SubscriberStatus.ACTIVE).first()
    if follower is None:
        return
    request = line.ReplyMessageRequest(replyToken=reply_token, messages=[build(follower)])
    try:
        with line_api_client() as client:
            line.MessagingApi(client).reply_message(request, _request_timeout=LINE_TIMEOUT)
    except Exception as error:
        if _is_transient(error):
            raise task.retry(exc=error, countdown=_backoff(task.request.retries)) from error
        # 400 usually means the reply token expired; the rich menu still offers the same choices.
        logger.warning(
            "LINE %s to %s not sent: %s", what, mask(follower.line_user_id), getattr(error, "status", error)
        )


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def send_follow_greeting(self, follower_pk, reply_token):
    """Reply to a follow event with the greeting and its quick-reply choices."""
    _reply(self, follower_pk, reply_token, lambda follower: follow_greeting(follower.language), "greeting")


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, queue="webhook")
def send_language_menu(self, follower_pk, reply_token):
    """Reply to the "language" button with the menu of languages."""
    _reply(self, follower_pk, reply_token, lambda follower: language_menu(follower.language), "language menu")


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def send_choice_confirmation(self, follower_pk, reply_token):
    """Reply to a postback with what the follower has chosen."""
    _reply(self, follower_pk, reply_token, choice_confirmation, "confirmation")


# Reliability: what the send task retries with backoff: the database busy, locked or briefly away,
# the broker unreachable, the channel not answering its quota check.
SEND_TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)
SEND_MAX_RETRIES = 10


@shared_task(bind=True, queue="pushes", acks_late=True, max_retries=SEND_MAX_RETRIES)
def send_notification(self, notification_pk):
    """Fan out one notification (see notifications.sending); safe to run twice or after a crash.

    When batches wait for a retry, or were claimed by a worker that may have died, the task queues
    itself again for the moment they become due. A transient error (database, broker, channel) is
    retried with backoff; whatever is still lost after that, the sweeper finds.
    """
    from . import sending

    try:
        summary = sending.send(notification_pk)
    except (*SEND_TRANSIENT_ERRORS, sending.TransientSendError) as error:
        logger.warning(
            "Notification %s: %s; retrying (attempt %d)",
            notification_pk,
            type(error).__name__,
            self.request.retries + 1,
        )
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    if summary.retry_in is not None:
        _queue_send(notification_pk, countdown=summary.retry_in)
    return summary.sent


def _queue_send(notification_pk, countdown=None):
    """Queue the send task; a broker that does not answer is logged and left to the sweeper."""
    try:
        if countdown is None:
            send_notification.delay(notification_pk)
        else:
            send_notification.apply_async((notification_pk,), countdown=countdown)
    except BrokerError as error:
        logger.warning("Notification %s not queued (%s); the sweeper will", notification_pk, error)
        return False
    return True


@shared_task
def sweep_notifications():
    """Queue again every notification that is stuck (see sending.stuck_notifications); the push
    log shows each such recovery. Runs every minute from the beat.

    Returns:
        The primary keys queued again.
    """
    from . import sending, services

    recovered = []
    for pk in sending.stuck_notifications():
        if services.cancel_if_withdrawn(pk):
            continue  # what it announces may no longer reach a parent: nothing to recover
        if _queue_send(pk):
            sending.mark_recovered(pk)
            recovered.append(pk)
    if recovered:
        logger.warning("Sweeper queued %d stuck notifications again: %s", len(recovered), recovered)
    return recovered


@shared_task(queue="pushes", acks_late=True)
def send_direct(pk):
    """Send one direct message (and any waiting behind it to the same recipient); a transient
    failure queues this task again after the row's backoff. See notifications.direct."""
    from . import direct

    retry_in = direct.send(pk)
    if retry_in is not None:
        send_direct.apply_async((pk,), countdown=max(1, retry_in))
    return retry_in


@shared_task
def sweep_direct_messages():
    """Every minute: send the direct messages now due (reminders) and recover those a dead worker
    left half-sent."""
    from . import direct

    return direct.sweep()


@shared_task
def read_line_quota():
    """Read LINE's monthly quota and consumption for the KPI panel (stored as a QuotaReading)."""
    from . import sending
    from .backends import get_backends

    backends = get_backends()
    try:
        backend = backends.get("line")
        if backend is not None:
            return sending.read_quota(backend)
    except sending.TransientSendError as error:
        logger.warning("%s", error)
    finally:
        for backend in backends.values():
            backend.close()
    return None
