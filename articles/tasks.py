"""Daily reminders: each physician hears of their pages whose review is past or falls due soon."""

import logging

from celery import shared_task

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import ReviewReminder
from .reports import approvals_due

logger = logging.getLogger("articles")


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=5,
)
def send_review_reminders():
    """Email each physician the pages they supervise whose review is past or due within 30 days.

    Idempotent per day: a :class:`ReviewReminder` row (unique per physician and day) is claimed
    before sending, so a second run on the same day sends nothing. A failed send gives the claim
    back and the task retries (mail errors are ``OSError``: transient).

    Returns:
        The number of physicians emailed.
    """
    today = timezone.localdate()
    by_physician = {}
    for approval in approvals_due(on=today):
        if approval.physician is None:
            continue  # a translator's sign-off: the source's physician is reminded of the source
        approval.edit_url = settings.WAGTAILADMIN_BASE_URL + reverse(
            "wagtailadmin_pages:edit", args=[approval.page_id]
        )
        by_physician.setdefault(approval.physician, []).append(approval)
    sent = 0
    for physician, approvals in by_physician.items():
        user = physician.user
        if not user or not user.email or not user.is_active:
            continue
        try:
            with transaction.atomic():
                claim = ReviewReminder.objects.create(
                    physician=physician, sent_on=today, pages=len(approvals)
                )
        except IntegrityError:
            continue  # already reminded today
        context = {"physician": physician, "approvals": approvals, "today": today, "settings": settings}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("articles/emails/review_reminder_subject.txt", context).strip()
            body = render_to_string("articles/emails/review_reminder.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except OSError:
            claim.delete()
            raise
        logger.info("Review reminder sent to physician %s for %s pages", physician.pk, len(approvals))
        sent += 1
    return sent


@shared_task(ignore_result=True)
def publish_scheduled_pages():
    """Wagtail's ``publish_scheduled`` every minute: revisions whose go-live time has come are
    published (through the publish gate in the page's save, so only an approved revision goes
    live) and pages past their expiry are unpublished (which clears the page cache). Idempotent:
    what is done is no longer due."""
    from django.core.management import call_command

    call_command("publish_scheduled")
