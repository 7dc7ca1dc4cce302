"""Handling of LINE webhook events: follow, unfollow and postback change subscribers; a text message
is handed to the guidance bot.

Runs in a Celery task, never in the webhook request. Each event is applied once: the row for its
``webhookEventId`` is written in the same transaction as the change, so a redelivered event (or the
task run twice) finds the row and changes nothing.
"""

import datetime
import logging
from urllib.parse import parse_qs

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.enums import LifeStage

from .family import provider
from .models import LineFollower, LineUserClock, SubscriberStatus, WebhookEvent
from .models.subscribers import add_months, mask, month_start

logger = logging.getLogger(__name__)

HANDLED_TYPES = {"follow", "unfollow", "postback", "message"}
# How far a due month may lie ahead, and how far back a birth month, to be believable.
MAX_MONTHS_TO_DUE = 10
MAX_CHILD_AGE_MONTHS = 72
# Reliability: bounds that keep a hostile but signed body from breaking the task (the columns hold
# 64 characters; a timestamp must be a real moment).
ID_MAX = 64
TIMESTAMP_MAX = 253_402_300_799_000  # 9999-12-31T23:59:59Z in milliseconds


class MalformedEvent(ValueError):
    """An event that does not have the shape LINE documents."""


def validate_payload(payload):
    """Check the parts of a webhook body the hub relies on, before anything is queued.

    Args:
        payload: the decoded JSON body.

    Returns:
        The list of event dicts.

    Raises:
        MalformedEvent: when the body or one of its events lacks a documented field.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise MalformedEvent("The body must be an object with an 'events' list.")
    for event in payload["events"]:
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise MalformedEvent("Every event must be an object with a 'type'.")
        if not isinstance(event.get("webhookEventId"), str) or not 0 < len(event["webhookEventId"]) <= ID_MAX:
            raise MalformedEvent("Every event must have a 'webhookEventId'.")
        timestamp = event.get("timestamp")
        if (
            not isinstance(timestamp, int)
            or isinstance(timestamp, bool)
            or not 0 <= timestamp <= TIMESTAMP_MAX
        ):
            raise MalformedEvent("Every event must have a numeric 'timestamp'.")
        if event["type"] in HANDLED_TYPES - {"message"}:
            source = event.get("source")
            if (
                not isinstance(source, dict)
                or not isinstance(source.get("userId"), str)
                or not 0 < len(source["userId"]) <= ID_MAX
            ):
                raise MalformedEvent(f"A {event['type']} event must come from a user.")
        postback = event.get("postback")
        if event["type"] == "postback" and not (
            isinstance(postback, dict) and isinstance(postback.get("data"), str)
        ):
            raise MalformedEvent("A postback event must carry 'postback.data'.")
    return payload["events"]


def minimal(event_list):
    """Only the events the hub acts on, with only the fields it reads.

    A text message from a user keeps only its text, for the guidance bot; anything else people send
    (stickers, images, group chat) never reaches the broker.
    """
    kept = ("type", "webhookEventId", "timestamp", "replyToken", "postback")
    return [
        {
            **{key: event[key] for key in kept if key in event},
            "source": {"type": "user", "userId": event["source"]["userId"]},
            **({"text": event["message"]["text"]} if event["type"] == "message" else {}),
        }
        for event in event_list
        if event["type"] in HANDLED_TYPES and (event["type"] != "message" or _is_text_from_user(event))
    ]


def within_age(event_list, now=None):
    """The events whose timestamp lies within NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE of ``now`` (and
    not more than NOTIFICATIONS_WEBHOOK_MAX_CLOCK_SKEW ahead of it); the others are logged by type,
    never by ID, and dropped.

    The records that make an event apply once and in order are kept for a limited time, so an event
    older than that, however validly signed, is a replay, not a redelivery.
    """
    now_ms = (now or timezone.now()).timestamp() * 1000
    oldest = now_ms - settings.NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE.total_seconds() * 1000
    newest = now_ms + settings.NOTIFICATIONS_WEBHOOK_MAX_CLOCK_SKEW.total_seconds() * 1000
    kept = []
    for event in event_list:
        if oldest <= event["timestamp"] <= newest:
            kept.append(event)
            continue
        context = event.get("deliveryContext")
        logger.warning(
            "LINE %s event %s ignored (redelivery: %s)",
            event["type"][:20],
            "too old" if event["timestamp"] < oldest else "dated in the future",
            isinstance(context, dict) and context.get("isRedelivery") is True,
        )
    return kept


def _is_text_from_user(event):
    """A text message in a one-to-one chat, with a reply token: what the guidance bot answers."""
    source, message = event.get("source") or {}, event.get("message") or {}
    return (
        source.get("type") == "user"
        and isinstance(source.get("userId"), str)
        and message.get("type") == "text"
        and isinstance(message.get("text"), str)
        and isinstance(event.get("replyToken"), str)
    )


def handle_event(event):
    """Apply one webhook event at most once.

    Args:
        event: one event dict from a body that passed :func:`validate_payload`.

    Returns:
        True when the event was applied now, False when it was already handled or is not ours.
    """
    if event["type"] not in HANDLED_TYPES:
        return False
    handler = {"follow": _follow, "unfollow": _unfollow, "postback": _postback, "message": _message}[
        event["type"]
    ]
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = WebhookEvent.objects.create(
                    webhook_event_id=event["webhookEventId"], event_type=event["type"]
                )
        except IntegrityError:
            # The unique webhookEventId: another delivery of this event has already been applied
            # (or is being applied right now, and this insert waited for it to commit).
            logger.info("LINE %s event already handled; redelivery ignored", event["type"])
            return False
        # Any other error rolls back the event row too, so a retry applies the event afresh.
        handler(event, _event_time(event))
        WebhookEvent.objects.filter(pk=record.pk).update(processed_at=timezone.now())
    return True


def _event_time(event):
    return datetime.datetime.fromtimestamp(event["timestamp"] / 1000, tz=datetime.UTC)


def _locked_follower(user_id):
    return LineFollower.objects.select_for_update().filter(line_user_id=user_id).first()


def _locked_clock(user_id):
    """The user's event clock, locked: events about one user are applied one at a time.

    The row exists before any of the user's follow or unfollow is applied; two tasks creating it at
    once collide on its unique key and the loser is retried by the task (IntegrityError).
    """
    key = LineUserClock.key_for(user_id)
    clock = LineUserClock.objects.select_for_update().filter(user_key=key).first()
    if clock is None:
        with transaction.atomic():
            clock = LineUserClock.objects.create(user_key=key)
    return clock


def _after_clock(clock, at):
    """Whether an event at ``at`` is newer than the user's last follow or unfollow; if so it
    becomes the last. A follow or unfollow older than the last one changes nothing."""
    if clock.last_event_at is not None and clock.last_event_at > at:
        logger.info("LINE event older than the user's last follow or unfollow; ignored")
        return False
    clock.last_event_at = at
    clock.save(update_fields=["last_event_at", "updated_at"])
    return True


def _is_stale(follower, at):
    return follower.last_event_at is not None and follower.last_event_at > at


def _follow(event, at):
    from . import tasks

    user_id = event["source"]["userId"]
    if not _after_clock(_locked_clock(user_id), at):
        return
    follower = _locked_follower(user_id)
    if follower is None:
        follower = LineFollower.objects.create(line_user_id=user_id, followed_at=at, last_event_at=at)
        logger.info("LINE follower %s added", mask(user_id))
    elif _is_stale(follower, at):
        return
    else:
        follower.status = SubscriberStatus.ACTIVE
        follower.followed_at = at
        follower.unfollowed_at = None
        follower.last_event_at = at
        follower.save()
        logger.info("LINE follower %s reactivated", mask(user_id))
    pk, reply_token = follower.pk, event.get("replyToken")
    transaction.on_commit(lambda: tasks.fetch_line_profile.delay(pk))
    if reply_token:
        transaction.on_commit(lambda: tasks.send_follow_greeting.delay(pk, reply_token))


def _unfollow(event, at):
    user_id = event["source"]["userId"]
    # The clock is moved even when no follower exists yet: a follow handled later but older than
    # this unfollow then finds it and changes nothing.
    if not _after_clock(_locked_clock(user_id), at):
        return
    follower = _locked_follower(user_id)
    if follower is None or _is_stale(follower, at):
        return
    # Unfollowing deletes personal data: the LINE user ID and what the life stage came from.
    follower.line_user_id = None
    follower.status = SubscriberStatus.INACTIVE
    follower.unfollowed_at = at
    follower.last_event_at = at
    follower.clear_personal_data()
    follower.save()
    logger.info("LINE follower %s unfollowed; user ID deleted", mask(user_id))


def _message(event, at):
    from guidance.tasks import queue_answer

    args = (
        event["source"]["userId"],
        event["replyToken"],
        event["text"],
        event["webhookEventId"],
        event["timestamp"],
    )
    transaction.on_commit(lambda: queue_answer(*args))


def parse_postback(data, params=None, today=None):
    """Read a postback from the hub's quick reply or rich menu into life-stage and language changes.

    Understood forms: ``stage=<LifeStage code>``, ``lang=<language code>``, and ``due=month`` or
    ``born=month`` from a date-picker action whose chosen date arrives in ``params['date']``.

    Args:
        data: the postback ``data`` string.
        params: the postback ``params`` (date-picker result), if any.
        today: reference date for checking months (defaults to today in Asia/Tokyo).

    Returns:
        A dict with any of ``life_stage``, ``due_month``, ``birth_month``, ``language`` (or ``menu``
        for the language menu button); empty for anything not understood, which is ignored.
    """
    today = today or timezone.localdate()
    try:
        fields = {key: values[-1] for key, values in parse_qs(data or "", max_num_fields=5).items()}
    except ValueError:  # more fields than any postback of ours has
        return {}
    changes = {}
    if fields.get("stage") in LifeStage.values:
        changes["life_stage"] = fields["stage"]
    if fields.get("lang") in {code for code, _name in settings.LANGUAGES}:
        changes["language"] = fields["lang"]
    if fields.get("menu") == "language":
        changes["menu"] = "language"
    chosen = _picked_month((params or {}).get("date"))
    this_month = month_start(today)
    if chosen and "due" in fields and this_month <= chosen <= add_months(this_month, MAX_MONTHS_TO_DUE):
        changes["due_month"] = chosen
    if chosen and "born" in fields and add_months(this_month, -MAX_CHILD_AGE_MONTHS) <= chosen <= this_month:
        changes["birth_month"] = chosen
    return changes


def _picked_month(value):
    try:
        return month_start(datetime.date.fromisoformat(value))
    except (TypeError, ValueError):
        return None


def _feature_postback(event, fields):
    """A feature's button (``f=<feature>`` in the data): handed to the guidance router's task,
    which asks the feature that owns it. Nothing about the follower changes here."""
    from guidance.tasks import queue_postback

    reply_token = event.get("replyToken")
    if not reply_token:
        logger.info("LINE feature postback without a reply token; ignored")
        return
    params = event["postback"].get("params")
    args = (
        event["source"]["userId"],
        reply_token,
        fields,
        params if isinstance(params, dict) else {},
        event["webhookEventId"],
        event["timestamp"],
    )
    transaction.on_commit(lambda: queue_postback(*args))


def _postback(event, at):
    from guidance.conversation import feature_postback

    from . import tasks

    postback = event["postback"]
    if (fields := feature_postback(postback["data"])) is not None:
        _feature_postback(event, fields)
        return
    changes = parse_postback(postback["data"], postback.get("params"))
    if not changes:
        logger.info("LINE postback not understood; ignored")
        return
    user_id = event["source"]["userId"]
    clock = _locked_clock(user_id)
    follower = _locked_follower(user_id)
    if follower is None and clock.last_event_at is not None and clock.last_event_at > at:
        # The user unfollowed after this postback: it must not bring them back.
        logger.info("LINE postback older than an unfollow; ignored")
        return
    if follower is None:
        # Only friends can send postbacks: a missing row means the follow event was lost.
        follower = LineFollower(line_user_id=user_id, followed_at=at, last_event_at=at)
    if changes.pop("menu", None) and not changes:
        # The "language" button: nothing changes yet, the reply offers the languages.
        follower.save()
        pk, reply_token = follower.pk, event.get("replyToken")
        if reply_token:
            transaction.on_commit(lambda: tasks.send_language_menu.delay(pk, reply_token))
        return
    family = provider()
    months = {key: changes[key] for key in ("due_month", "birth_month") if key in changes}
    if "life_stage" in changes or (months and family is None):
        follower.set_life_stage(
            life_stage=changes.get("life_stage"),
            due_month=changes.get("due_month"),
            birth_month=changes.get("birth_month"),
        )
    if "language" in changes:
        follower.language = changes["language"]
        follower.language_chosen = True
    follower.save()
    if months and family is not None:
        # An old greeting's or menu's date picker: the month becomes (or corrects) a child.
        family.months_chosen(follower, **months)
    pk, reply_token = follower.pk, event.get("replyToken")
    if reply_token:
        transaction.on_commit(lambda: tasks.send_choice_confirmation.delay(pk, reply_token))
    logger.info(
        "LINE follower %s chose %s",
        mask(user_id),
        # Life stage and language only: a due or birth month is named, not logged.
        ", ".join(f"{key}={changes[key]}" if key in {"life_stage", "language"} else key for key in changes),
    )
