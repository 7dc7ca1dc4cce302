"""What happens to a conversation: opened, written to, claimed, answered, handed over, noted,
closed and rated. Every change is one row (or one conditional UPDATE); alerts and replies are queued
on commit; nothing here calls the network.

What the family and the staff write is passed in and stored, never logged.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from .models import (
    OPEN_STATUSES,
    Channel,
    ClosedBy,
    Conversation,
    Desk,
    DeskTopic,
    Handover,
    Message,
    Note,
    Sender,
    Status,
)


class ConsultationError(Exception):
    """The change asked for cannot be made (nothing was changed); the message says why."""


def desk_for_topic(topic):
    """The active desk that answers ``topic``, or None."""
    row = DeskTopic.objects.filter(topic=topic, desk__active=True).select_related("desk__service").first()
    return row.desk if row else None


def open_for_follower(line_user_id):
    if not line_user_id:
        return None
    return (
        Conversation.objects.filter(line_user_id=line_user_id, status__in=OPEN_STATUSES)
        .select_related("service")
        .first()
    )


def open_conversation(*, topic, channel, language, line_user_id=None, life_stage=""):
    """Open a conversation about ``topic`` with the service that answers it.

    Returns:
        ``(conversation, created)``; a follower who already has an open conversation gets that one.

    Raises:
        ConsultationError: no active service answers the topic.
    """
    if line_user_id and (existing := open_for_follower(line_user_id)):
        return existing, False
    desk = desk_for_topic(topic)
    if desk is None:
        raise ConsultationError("No service answers this topic.")
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                service=desk.service,
                topic=topic,
                channel=channel,
                language=language,
                line_user_id=line_user_id if channel == Channel.LINE else None,
                life_stage=life_stage or "",
            )
    except IntegrityError:  # the same follower opened one at the same moment
        return open_for_follower(line_user_id), False
    return conversation, True


def add_family_message(conversation, text, *, webhook_event_id=None, crisis=False, at=None):
    """Store what the family wrote, once per LINE event. Returns ``(message, created)``."""
    if webhook_event_id and (found := Message.objects.filter(webhook_event_id=webhook_event_id).first()):
        return found, False
    if not conversation.is_open:
        raise ConsultationError("The conversation is closed.")
    text = (text or "").strip()[:5000]
    if not text:
        raise ConsultationError("The message is empty.")
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation,
                sender=Sender.FAMILY,
                text=text,
                crisis=crisis,
                webhook_event_id=webhook_event_id or None,
                created_at=at or timezone.now(),
            )
            Conversation.objects.filter(pk=conversation.pk).update(family_messages=F("family_messages") + 1)
    except IntegrityError:
        return Message.objects.get(webhook_event_id=webhook_event_id), False
    if crisis:
        mark_crisis(conversation)
    return message, True


def mark_crisis(conversation):
    """Move the conversation to the top of its queue and alert the staff on duty (once)."""
    from . import tasks

    with transaction.atomic():
        marked = Conversation.objects.filter(pk=conversation.pk, crisis_at__isnull=True).update(
            crisis_at=timezone.now()
        )
        # Every crisis message alerts, not only the first: the staff must see a new one at once.
        transaction.on_commit(lambda: tasks.alert_crisis.delay(conversation.pk))
    return bool(marked)


def queue(service):
    """The service's open conversations by urgency: a crisis first, then the longest waiting."""
    return (
        Conversation.objects.filter(service=service.source(), status__in=OPEN_STATUSES)
        .annotate(
            urgent=Case(
                When(crisis_at__isnull=False, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("urgent", "opened_at", "pk")
    )


def waiting_ahead(conversation):
    """How many conversations of the same service are waiting for a first answer before this one."""
    return Conversation.objects.filter(
        service=conversation.service,
        status__in=OPEN_STATUSES,
        first_answer_at__isnull=True,
        opened_at__lt=conversation.opened_at,
    ).count()


def claim(conversation_id, user):
    """Take a waiting conversation: one conditional UPDATE, so of two staff at once one wins.

    Returns:
        True when ``user`` took it.
    """
    return bool(
        Conversation.objects.filter(pk=conversation_id, status=Status.WAITING, assignee__isnull=True).update(
            status=Status.CLAIMED, assignee=user
        )
    )


def _require_assignee(conversation, user):
    if not conversation.is_open:
        raise ConsultationError("The conversation is closed.")
    if conversation.assignee_id != user.pk:
        raise ConsultationError("Take the conversation before answering it.")


def reply(conversation, user, text):
    """A staff member's answer: stored, and on LINE pushed through the direct-message outbox.

    Raises:
        ConsultationError: the conversation is closed, not taken by ``user``, or the text is empty.
    """
    from . import outbox

    text = (text or "").strip()
    if not text:
        raise ConsultationError("Write an answer first.")
    if len(text) > 5000:
        raise ConsultationError("An answer can be at most 5,000 characters.")
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _require_assignee(conversation, user)
        now = timezone.now()
        message = Message.objects.create(
            conversation=conversation, sender=Sender.STAFF, author=user, text=text, created_at=now
        )
        Conversation.objects.filter(pk=conversation.pk).update(staff_messages=F("staff_messages") + 1)
        Conversation.objects.filter(pk=conversation.pk, first_answer_at__isnull=True).update(
            first_answer_at=now
        )
        if conversation.channel == Channel.LINE and conversation.line_user_id:
            outbox.record(
                "consultation.reply",
                f"consult:message:{message.pk}",
                [text],
                conversation.language,
                conversation.line_user_id,
            )
    return message


def add_note(conversation, user, text):
    text = (text or "").strip()
    if not text:
        raise ConsultationError("Write a note first.")
    return Note.objects.create(conversation=conversation, author=user, text=text[:2000])


def hand_over(conversation, by, *, to_user=None, to_service=None):
    """Give the conversation to a colleague (it stays taken, by them) or to another service (it
    waits in that service's queue)."""
    if to_user is None and to_service is None:
        raise ConsultationError("Choose a colleague or a service.")
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update().select_related("service").get(pk=conversation.pk)
        )
        if not conversation.is_open:
            raise ConsultationError("The conversation is closed.")
        target_service = to_service.source() if to_service else conversation.service
        if to_service is not None and not Desk.objects.filter(service=target_service, active=True).exists():
            raise ConsultationError("That service does not take conversations.")
        if to_user is not None:
            group_id = target_service.staff_group_id
            if group_id is None or not to_user.groups.filter(pk=group_id).exists() or not to_user.is_active:
                raise ConsultationError("That colleague is not on the service's staff.")
        Handover.objects.create(
            conversation=conversation,
            by=by,
            to_user=to_user,
            from_service=conversation.service,
            to_service=target_service,
        )
        conversation.service = target_service
        conversation.assignee = to_user
        conversation.status = Status.CLAIMED if to_user else Status.WAITING
        conversation.handovers = F("handovers") + 1
        conversation.save(update_fields=["service", "assignee", "status", "handovers"])
    conversation.refresh_from_db()
    return conversation


def close(conversation, *, by, user=None, close_code=None):
    """Close an open conversation; the staff close it with a topic code. On LINE, a staff closing
    tells the family and asks for a rating. Returns True when this call closed it."""
    from . import outbox, texts

    if by == ClosedBy.STAFF and close_code is None:
        raise ConsultationError("Choose a topic code.")
    with transaction.atomic():
        closed = Conversation.objects.filter(pk=conversation.pk, status__in=OPEN_STATUSES).update(
            status=Status.CLOSED,
            closed_at=timezone.now(),
            closed_by=by,
            close_code=close_code,
        )
        if (
            closed
            and by == ClosedBy.STAFF
            and conversation.channel == Channel.LINE
            and conversation.line_user_id
        ):
            outbox.record(
                "consultation.closed",
                f"consult:closed:{conversation.pk}",
                [texts.closed_by_staff(conversation)],
                conversation.language,
                conversation.line_user_id,
            )
    conversation.refresh_from_db()
    return bool(closed)


def rate(conversation, rating):
    """The family's rating (1–5) of a closed conversation, once. Returns True when recorded."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        return False
    if not 1 <= rating <= 5:
        return False
    return bool(
        Conversation.objects.filter(pk=conversation.pk, status=Status.CLOSED, rating__isnull=True).update(
            rating=rating
        )
    )


def overdue(now=None):
    """Conversations waiting for a first answer longer than their desk's target, not yet alerted."""
    now = now or timezone.now()
    found = []
    rows = Conversation.objects.filter(
        status__in=OPEN_STATUSES, first_answer_at__isnull=True, wait_alerted_at__isnull=True
    ).select_related("service__desk")
    for conversation in rows:
        target = datetime.timedelta(minutes=conversation.service.desk.first_answer_minutes)
        if now - conversation.opened_at > target and conversation.service.status(now).is_open:
            found.append(conversation)
    return found
