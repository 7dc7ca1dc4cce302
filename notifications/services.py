"""The push pipeline: ``issue`` records a notification once per source and queues its sending.

Everything that reaches a family's phone goes through :func:`issue`: articles when they go live,
campaign pushes when they are due, an administrator's re-push.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from articles.clinical import skip_reason_for

from .models import Batch, BatchStatus, Notification, NotificationStatus

logger = logging.getLogger(__name__)


def blocker(page, words_page=None):
    """Why a push linking to ``page`` and carrying words from ``words_page`` must not reach a
    parent now, or an empty string when it may: the page rule (:func:`articles.clinical.skip_reason_for`)
    asked of both."""
    reason = skip_reason_for(page)
    if reason or words_page is None or words_page.pk == page.pk:
        return reason
    words_reason = skip_reason_for(words_page)
    if words_reason:
        return _("The page of its words (%(title)s): %(reason)s") % {
            "title": words_page.title,
            "reason": words_reason,
        }
    return ""


# What may still go out, and so be cancelled: a failed or partly sent push can be retried.
CANCELLABLE_STATUSES = [
    NotificationStatus.PENDING,
    NotificationStatus.SENDING,
    NotificationStatus.HELD,
    NotificationStatus.FAILED,
    NotificationStatus.PARTIAL,
]


def cancel_if_withdrawn(notification_pk, user=None):
    """At the moment of sending, cancel a notification whose page (or the page of its words) may
    no longer reach a parent: unpublished, its live version unapproved, past its review date.

    Asked before a first send, before each group of batches, on the release of a hold, on a
    retry and on the sweeper's requeue. The batches still waiting are cancelled with it (a batch
    in flight records its own result); the reason shows in the push log and the audit log, and a
    cancelled notification counts toward no KPI.

    Returns:
        The reason it was cancelled now, or an empty string (it may go out, or is not open).
    """
    notification = (
        Notification.objects.select_related("page", "words_page")
        .filter(pk=notification_pk, status__in=CANCELLABLE_STATUSES)
        .first()
    )
    if notification is None:
        return ""
    reason = str(blocker(notification.page, notification.words_page))
    if not reason:
        return ""
    with transaction.atomic():
        cancelled = Notification.objects.filter(pk=notification_pk, status__in=CANCELLABLE_STATUSES).update(
            status=NotificationStatus.CANCELLED, skip_reason=reason[:255], finished_at=timezone.now()
        )
        if not cancelled:
            return ""
        Batch.objects.filter(
            notification_id=notification_pk, status__in=[BatchStatus.PENDING, BatchStatus.FAILED]
        ).update(status=BatchStatus.CANCELLED, not_before=None)
        notification.refresh_from_db()
        log(
            notification,
            "oyako.push_withdrawn",
            user=user,
            data={"source": notification.source, "reason": reason},
        )
    logger.warning("Notification %s cancelled before sending: %s", notification_pk, reason)
    return reason


def _announceable(translated):
    """Whether live translation ``translated`` may be announced: live, approved where approval is
    required (by a reviewer qualified for its language) and up to date with its source."""
    return translated is not None and not skip_reason_for(translated)


def announceable_translation(page, language):
    """The translation of ``page`` in ``language`` that a push may use, as a specific page (as its
    live revision has it), or None.

    None for the page's own language, a language without a locale, and a translation that is not
    live, not approved where approval is required, or out of date with its source (an out-of-date
    translation is never pushed).
    """
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or page.locale_id == locale.pk:
        return None
    translated = page.get_translation_or_none(locale)
    return _approved_words(translated) if _announceable(translated) else None


def announceable_translations(page):
    """Every translation of ``page`` a push may use (see :func:`announceable_translation`), as
    ``{language code: specific page}``."""
    translations = page.get_translations().select_related("locale").order_by("locale__language_code")
    return {
        translated.locale.language_code: _approved_words(translated)
        for translated in translations
        if _announceable(translated)
    }


def _approved_words(translated):
    """The translation as its live revision says, inline children included: wagtail-localize writes
    a translator's unapproved draft into the page's rows, so the rows are not what was approved."""
    return translated.live_revision.as_object()


def announces_on_publish(page):
    """Whether publishing ``page`` (as the revision to be published says) pushes to families: the
    editor ticked "notify subscribers" for it. The one rule the publish signal and the physician's
    approve dialog both ask."""
    return bool(getattr(page, "notify_subscribers", False))


def publish_reach(page):
    """How many families publishing ``page`` would push to now, or None when it pushes nothing.

    The audience is the one the publish signal gives :func:`issue` (the page's life stages, every
    language), counted by the same queryset the sending plans its batches from.
    """
    from .sending import audience_size

    if not announces_on_publish(page):
        return None
    return audience_size(page.life_stage_codes)


def issue(
    *,
    source,
    page,
    title,
    text,
    life_stages=None,
    languages=None,
    revision=None,
    requested_by=None,
    lateness=None,
    recipients=None,
    texts=None,
    titles=None,
    words_page=None,
):
    """Record a notification for ``source`` and queue its sending when the transaction commits.

    Calling again with the same source returns the existing row and queues nothing. A target that
    may not be announced (not live, no physician approval, past its review date) is recorded as
    skipped with a reason; nothing is sent and nothing is counted.

    Args:
        source: what is announced, unique: ``"article:<page>:rev:<revision>"``,
            ``"campaign-push:<plan item>"``; a manual re-push adds ``":repush:<n>"``.
        page: the page the notification links to.
        title: the notification's title (Japanese; translations are found when sending).
        text: the notification's text.
        life_stages: LifeStage codes of the audience; empty or None means every stage.
        languages: language codes of the audience; empty or None means every language.
        revision: the page revision announced.
        requested_by: the user who asked for it, if any.
        lateness: how late a scheduled push is being issued.
        recipients: an exact audience instead of the life-stage one, as subscriber primary keys
            per channel (``{"line": [...], "fcm": [...]}``); whoever is inactive when it is sent
            is skipped.
        texts: the push's own text in other languages, ``{language code: text}``, taken by the
            caller from the page's announceable translations (:func:`announceable_translations`);
            a family gets the first along its language's fallback chain, else ``text``.
        titles: likewise for a title that is not the linked page's own (a campaign's title on a
            push linking to one of its featured articles).
        words_page: the page the push's own words (``text``, ``title``, ``texts``, ``titles``) come
            from (a campaign, a timed message series): it must be announceable as well, now and
            when sending; each language's words are sent only while that translation still is.

    Returns:
        The Notification (new or existing).
    """
    existing = Notification.objects.filter(source=source).first()
    if existing is not None:
        return existing
    reason = blocker(page, words_page)
    fields = {
        "page": page,
        "revision": revision,
        "title": title,
        "text": text,
        "life_stages": sorted(life_stages or []),
        "languages": sorted(languages or []),
        "requested_by": requested_by,
        "lateness": lateness,
        "chosen_recipients": _sorted_recipients(recipients),
        "texts": dict(texts or {}),
        "titles": dict(titles or {}),
        "words_page": words_page,
        "status": NotificationStatus.SKIPPED if reason else NotificationStatus.PENDING,
        "skip_reason": str(reason)[:255],
    }
    try:
        # A savepoint: two publishers racing on one source leave one row and no broken transaction.
        with transaction.atomic():
            notification = Notification.objects.create(source=source, **fields)
    except IntegrityError:
        return Notification.objects.get(source=source)
    _audit_issue(notification, requested_by, reason)
    if reason:
        logger.info("Notification %s skipped: %s", source, reason)
    else:
        queue_sending(notification.pk)
    return notification


def _audit_issue(notification, requested_by, reason):
    """Audit trail: the push in the admin's history (the acting admin, if any, is the log's user)."""
    log(
        notification,
        "oyako.push_skipped" if reason else "oyako.push_issued",
        user=requested_by,
        data={"source": notification.source, "reason": str(reason)},
    )


def queue_sending(notification_pk):
    """Queue the send task for a notification once the current transaction commits.

    A broker that does not answer then does not fail the request that published (the page is
    live, the notification recorded): the sweeper queues the notification within minutes.
    """
    from .tasks import _queue_send

    transaction.on_commit(lambda: _queue_send(notification_pk))


def _sorted_recipients(recipients):
    if recipients is None:
        return None
    return {channel: sorted(pks) for channel, pks in recipients.items()}
