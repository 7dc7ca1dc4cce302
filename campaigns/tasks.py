"""Celery tasks: the beat task that sends due campaign pushes, and the editor's email."""

import logging
import smtplib

from celery import shared_task

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .enums import DispatchStatus
from .models import PushDispatch
from .services import dispatch_due_pushes

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_due_pushes():
    """Run by beat every minute; catches up after downtime, since it takes everything due."""
    dispatches = dispatch_due_pushes()
    if dispatches:
        logger.info("Campaign pushes dispatched: %s", len(dispatches))
    return len(dispatches)


def editor_addresses(campaign):
    """The campaign's owner and its last editor: the people who can act on a held or skipped push."""
    users = [campaign.owner]
    latest = campaign.get_latest_revision()
    if latest is not None:
        users.append(latest.user)
    return sorted({user.email for user in users if user is not None and user.email and user.is_active})


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def email_editors(self, dispatch_id):
    """Tell the campaign's editors that a push was skipped or is waiting for their confirmation."""
    # Claim the email first so that a second delivery of this task sends nothing.
    claimed = PushDispatch.objects.filter(pk=dispatch_id, editors_emailed_at__isnull=True).update(
        editors_emailed_at=timezone.now()
    )
    if not claimed:
        return
    dispatch = PushDispatch.objects.select_related("campaign").get(pk=dispatch_id)
    recipients = editor_addresses(dispatch.campaign)
    if not recipients:
        logger.warning("Campaign push %s: no editor with an email address to tell", dispatch.plan_item_id)
        return
    template = (
        "campaigns/email/push_held.txt"
        if dispatch.status == DispatchStatus.AWAITING_CONFIRMATION
        else "campaigns/email/push_skipped.txt"
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "dispatch": dispatch,
            "campaign": dispatch.campaign,
            "report_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("campaigns_report", args=[dispatch.campaign_id]),
        }
        subject, _, body = render_to_string(template, context).strip().partition("\n")
    try:
        send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        # Release the claim so that the retry (or the next attempt) sends it.
        with transaction.atomic():
            PushDispatch.objects.filter(pk=dispatch_id).update(editors_emailed_at=None)
        raise
