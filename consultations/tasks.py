"""Alerts to the staff on duty (a crisis message, a first answer overdue), and the retention purge.

Each alert is a :class:`~consultations.models.StaffAlert` row recorded once, sent by
:func:`send_alert` after commit (e-mail through Django's mail backend; the staff member's own LINE,
if registered, through the direct-message outbox), and recovered by :func:`sweep` if a worker died.
Neither the e-mail nor the LINE alert quotes what the family wrote.
"""

import datetime
import logging

from celery import shared_task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import AlertKind, ConsultationSettings, Conversation, Message, Note, StaffAlert, Status

logger = logging.getLogger(__name__)
RECLAIM_AFTER = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 8


def record_alert(conversation, kind, key):
    """Record an alert once and queue its sending on commit."""
    alert, created = StaffAlert.objects.get_or_create(
        key=key, defaults={"kind": kind, "conversation": conversation}
    )
    if created:
        transaction.on_commit(lambda: send_alert.delay(alert.pk))
    return alert


@shared_task(queue="webhook")
def alert_crisis(conversation_id):
    """Record the crisis alert for the conversation's newest crisis message."""
    message = Message.objects.filter(conversation_id=conversation_id, crisis=True).order_by("-pk").first()
    if message is None:
        return None
    conversation = message.conversation
    with transaction.atomic():
        alert = record_alert(conversation, AlertKind.CRISIS, f"crisis:{message.pk}")
    return alert.pk


def on_duty(service):
    """The staff to alert: the service's group members marked on duty, or all of them if none is."""
    if service.staff_group_id is None:
        return []
    members = (
        get_user_model()
        .objects.filter(groups=service.staff_group_id, is_active=True)
        .select_related("consult_staff")
    )
    marked = [user for user in members if getattr(getattr(user, "consult_staff", None), "on_duty", False)]
    return marked or list(members)


def _alert_text(alert):
    conversation = alert.conversation
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "consultations_admin:detail", args=[conversation.pk]
    )
    with translation.override(settings.LANGUAGE_CODE):
        if alert.kind == AlertKind.CRISIS:
            subject = _("Crisis message in a consultation: %(service)s") % {"service": conversation.service}
            body = _("A family wrote a message the crisis check flagged. Open it now: %(url)s") % {"url": url}
        else:
            subject = _("A consultation is waiting too long: %(service)s") % {"service": conversation.service}
            body = _("A family has waited longer than the target for a first answer. Open it: %(url)s") % {
                "url": url
            }
    return subject, body


@shared_task(bind=True, queue="webhook", max_retries=MAX_ATTEMPTS)
def send_alert(self, alert_id):
    """Send one alert once: claimed with a conditional UPDATE, retried with backoff."""
    from . import outbox

    now = timezone.now()
    claimed = StaffAlert.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RECLAIM_AFTER), pk=alert_id, sent_at__isnull=True
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    alert = StaffAlert.objects.select_related("conversation__service").get(pk=alert_id)
    staff = on_duty(alert.conversation.service)
    subject, body = _alert_text(alert)
    with transaction.atomic():
        for user in staff:
            line_id = getattr(getattr(user, "consult_staff", None), "line_user_id", "")
            if line_id:
                outbox.record(
                    "consultation.staff_alert",
                    f"consult:alert:{alert.pk}:{user.pk}",
                    [body],
                    "ja",
                    line_id,
                    check="",
                )
    emails = sorted({user.email for user in staff if user.email})
    try:
        if emails:
            send_mail(subject, body, None, emails)
    except OSError as error:
        StaffAlert.objects.filter(pk=alert_id).update(claimed_at=None)
        raise self.retry(exc=error, countdown=min(300, 2**self.request.retries * 5)) from error
    StaffAlert.objects.filter(pk=alert_id).update(sent_at=timezone.now())
    return True


@shared_task
def alert_overdue():
    """Every minute: alert the staff of each conversation that has waited past its first-answer target."""
    from . import services

    recorded = 0
    for conversation in services.overdue():
        with transaction.atomic():
            if Conversation.objects.filter(pk=conversation.pk, wait_alerted_at__isnull=True).update(
                wait_alerted_at=timezone.now()
            ):
                record_alert(conversation, AlertKind.OVERDUE, f"overdue:{conversation.pk}")
                recorded += 1
    sweep()
    return recorded


def sweep():
    """Queue again alerts a dead worker left unsent."""
    stale = StaffAlert.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=timezone.now() - RECLAIM_AFTER
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - RECLAIM_AFTER))
    for alert_id in stale.values_list("pk", flat=True):
        send_alert.delay(alert_id)


@shared_task
def purge_expired(now=None):
    """Delete the text of conversations closed longer ago than the city's retention period; the
    conversation row keeps its counts (messages, times, topic code, rating) for the KPI and report."""
    retention = datetime.timedelta(days=ConsultationSettings.load().retention_days)
    cutoff = (now or timezone.now()) - retention
    expired = list(
        Conversation.objects.filter(
            status=Status.CLOSED, closed_at__lt=cutoff, purged_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(expired), 500):
        chunk = expired[start : start + 500]
        with transaction.atomic():
            Message.objects.filter(conversation__in=chunk).delete()
            Note.objects.filter(conversation__in=chunk).delete()
            Conversation.objects.filter(pk__in=chunk).update(purged_at=timezone.now(), line_user_id=None)
    logger.info("Deleted the text of %d closed consultations", len(expired))
    return len(expired)
