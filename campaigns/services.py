"""Hand due campaign pushes to the push pipeline, once each, and keep the editor informed."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Locale

from .enums import DispatchStatus
from .models import PlannedPush, PushDispatch

logger = logging.getLogger(__name__)

DEFAULT_MAX_LATENESS = datetime.timedelta(hours=6)


def max_lateness():
    return getattr(settings, "CAMPAIGNS_MAX_LATENESS", DEFAULT_MAX_LATENESS)


def issue_notification(**kwargs):
    """The one road to a family's phone (``notifications.services.issue``), looked up when used."""
    from notifications import services

    return services.issue(**kwargs)


def due_plan_items(now):
    """Plan items whose time has come and that no run has claimed yet, oldest first.

    Only the source (Japanese) campaign's plan counts: a translation made with wagtail-localize
    copies the plan, and dispatching the copy too would push every family twice.
    """
    claimed = PushDispatch.objects.values("plan_item_id")
    return (
        PlannedPush.objects.filter(send_at__lte=now, page__locale=Locale.get_default())
        .exclude(pk__in=claimed)
        .order_by("send_at", "pk")
    )


def dispatch_due_pushes(now=None):
    """Claim every due plan item and hand it to the push pipeline (or hold it when too late).

    Safe to run concurrently and repeatedly: each plan item is claimed by inserting its
    :class:`PushDispatch` row under a unique constraint, in the same transaction as the
    notification outbox row, so a crash before commit leaves the item due for the next run.

    Args:
        now: The current time; defaults to ``timezone.now()``.

    Returns:
        The :class:`PushDispatch` rows this run created.
    """
    now = now or timezone.now()
    dispatches = []
    for item_id in list(due_plan_items(now).values_list("pk", flat=True)):
        dispatch = dispatch_plan_item(item_id, now=now)
        if dispatch is not None:
            dispatches.append(dispatch)
    return dispatches


def dispatch_plan_item(item_id, *, now):
    """Claim one plan item and issue its notification. Returns None when another run claimed it."""
    with transaction.atomic():
        item = PlannedPush.objects.select_related("page", "target_article").filter(pk=item_id).first()
        if item is None:
            return None
        lateness = max(now - item.send_at, datetime.timedelta(0))
        too_late = lateness > max_lateness()
        try:
            with transaction.atomic():
                dispatch = PushDispatch.objects.create(
                    plan_item_id=item.pk,
                    campaign_id=item.page_id,
                    status=DispatchStatus.AWAITING_CONFIRMATION if too_late else DispatchStatus.ISSUED,
                    due_at=item.send_at,
                    text=item.text,
                    target_id=item.target_article_id or item.page_id,
                    claimed_at=now,
                    lateness=lateness,
                )
        except IntegrityError:
            return None
        if too_late:
            logger.info("Campaign push %s is %s late: waiting for an editor", item.pk, lateness)
            _audit(item.page, "oyako.push_held", dispatch, lateness=str(lateness).split(".")[0])
            _email_editors_on_commit(dispatch)
            return dispatch
        _issue(dispatch, item, now=now)
        return dispatch


def confirm_late_push(dispatch, user, now=None):
    """An editor sends a push that was held for being too late. Returns False if it was not held."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = PushDispatch.objects.filter(
            pk=dispatch.pk, status=DispatchStatus.AWAITING_CONFIRMATION
        ).update(
            status=DispatchStatus.ISSUED,
            confirmed_by=user,
            lateness=max(now - dispatch.due_at, datetime.timedelta(0)),
        )
        if not claimed:
            return False
        dispatch.refresh_from_db()
        _audit(dispatch.campaign, "oyako.push_confirmed", dispatch, user=user)
        item = (
            PlannedPush.objects.select_related("page", "target_article")
            .filter(pk=dispatch.plan_item_id)
            .first()
        )
        if item is None:
            # The editor deleted the push while it was held: there is nothing left to send.
            dispatch.status = DispatchStatus.CANCELLED
            dispatch.skip_reason = _("The planned push was deleted before it was confirmed.")
            dispatch.save(update_fields=["status", "skip_reason"])
            return False
        _issue(dispatch, item, now=now, requested_by=user)
        return True


def cancel_late_push(dispatch, user):
    """An editor decides a held push should not go out. Returns False if it was not held."""
    cancelled = bool(
        PushDispatch.objects.filter(pk=dispatch.pk, status=DispatchStatus.AWAITING_CONFIRMATION).update(
            status=DispatchStatus.CANCELLED,
            confirmed_by=user,
            skip_reason=_("Cancelled by an editor after it came due too late."),
        )
    )
    if cancelled:
        _audit(dispatch.campaign, "oyako.push_cancelled", dispatch, user=user)
    return cancelled


def _audit(campaign, action, dispatch, user=None, **data):
    """Audit trail: a held push's fate in the campaign's history."""
    log(
        campaign,
        action,
        user=user,
        data={"plan_item": dispatch.plan_item_id, "dispatch": dispatch.pk, **data},
    )


def _campaign_blocker(campaign):
    """Why the campaign itself may not be announced now (the pipeline's own rules), or ''."""
    from notifications.services import skip_reason_for

    return skip_reason_for(campaign)


def translated_words(item):
    """The push's title and text in each language the campaign is announceably translated into
    (live, approved where approval is required, up to date): ``(titles, texts)``, each
    ``{language code: words}``. The translated push is the translation's plan item with the same
    ``translation_key``; a translation without it adds nothing.
    """
    from notifications.services import announceable_translations

    titles, texts = {}, {}
    for code, campaign in announceable_translations(item.page).items():
        translated = _same_child(campaign.planned_pushes.all(), item)
        if translated is not None:
            titles[code], texts[code] = campaign.title, translated.text
    return titles, texts


def _issue(dispatch, item, *, now, requested_by=None):
    campaign = item.page
    # A push that links to a featured article still speaks for the campaign, so the campaign
    # must be live and approved too; the pipeline then checks the page the push links to. When
    # the campaign is not, the campaign is handed over as the target so the push log says why.
    target = campaign if _campaign_blocker(campaign) else item.target_page
    titles, texts = translated_words(item)
    notification = issue_notification(
        source=dispatch.source,
        page=target,
        title=campaign.title,
        text=item.text,
        titles=titles,
        texts=texts,
        words_page=campaign,
        life_stages=list(item.life_stages) or None,
        languages=list(item.languages) or None,
        revision=target.live_revision,
        requested_by=requested_by,
        lateness=dispatch.lateness,
    )
    dispatch.notification_id = notification.pk
    dispatch.issued_at = now
    dispatch.target_id = target.pk
    dispatch.text = item.text
    if notification.status == "skipped":
        dispatch.status = DispatchStatus.SKIPPED
        dispatch.skip_reason = str(notification.skip_reason or _campaign_blocker(campaign))[:255]
        _email_editors_on_commit(dispatch)
    dispatch.save()


def _email_editors_on_commit(dispatch):
    from .tasks import email_editors

    transaction.on_commit(lambda: email_editors.delay(dispatch.pk))


def _same_child(children, item):
    """The translation of ``item`` among a translated page's inline children, or None."""
    key = str(item.translation_key)
    return next((child for child in children if str(child.translation_key) == key), None)
