"""Hand each due timed message's cohort to the push pipeline, once per family.

For a message and a calendar month, the cohort is every active subscriber whose due month (for
pregnancy messages) or birth month (for age messages; a passed due month stands in for a birth
month not yet recorded) puts them at the message's moment in that month. Only the current month
is ever considered, so a family that registers late gets no backlog; with
``MILESTONES_LATE_REGISTRANTS_GET_CURRENT_MONTH`` it still gets this month's message on a later
day of the month.

Safe to run concurrently and repeatedly: a run claims (message, month, day) by inserting its
:class:`CohortDispatch` under a unique constraint, and each family by inserting its
:class:`Receipt` under a unique (message, subscriber key) constraint, in the same transaction as
the notification outbox row. A crash before commit leaves everything due for the next run.
"""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.models import Locale

from notifications.kpi import TIMED_MESSAGE_SOURCE_PREFIX
from notifications.models import AppDevice, Channel, LineFollower
from notifications.models.subscribers import month_start

from .enums import DispatchStatus, Moment
from .models import CohortDispatch, Pause, Receipt, TimedMessage

logger = logging.getLogger(__name__)

SUBSCRIBERS = {Channel.LINE: LineFollower, Channel.FCM: AppDevice}
KEY_CHUNK = 1000
CHANGE_MARGIN = datetime.timedelta(hours=1)


def subscriber_key(channel, identifier):
    """A pseudonym for a LINE user or an app token: the same person gets the same key on refollow."""
    secret = (getattr(settings, "MILESTONES_SUBSCRIBER_KEY_SECRET", "") or settings.SECRET_KEY).encode()
    return hmac.new(secret, f"{channel}:{identifier}".encode(), hashlib.sha256).hexdigest()


def cohort_q(message, cohort_month):
    """Subscribers at ``message``'s moment in ``cohort_month``, as a filter on the subscriber rows."""
    reference = message.reference_month(cohort_month)
    if message.moment == Moment.PREGNANCY:
        return Q(birth_month__isnull=True, due_month=reference)
    born = Q(birth_month=reference)
    if message.months >= 1:
        # As for life stages: a due month that has passed with no birth recorded is the birth month.
        born |= Q(birth_month__isnull=True, due_month=reference)
    return born


def hold_reason(message):
    """Why ``message`` may not go out now (series or target not live, unapproved, overdue), or ''."""
    from notifications.services import skip_reason_for

    series_reason = skip_reason_for(message.page)
    if series_reason:
        return _("The series: %(reason)s") % {"reason": series_reason}
    if message.target_id is None:
        return _("The message links to no page.")
    target_reason = skip_reason_for(message.target)
    if target_reason:
        return _("The linked page: %(reason)s") % {"reason": target_reason}
    return ""


def paused_ids():
    """(series ids paused as a whole, message ids paused one by one)."""
    series, messages = set(), set()
    for series_id, message_id in Pause.objects.values_list("series_id", "message_id"):
        (messages if message_id else series).add(message_id or series_id)
    return series, messages


def due_messages(now):
    """Live, unpaused messages whose time in this month has come and that have not run today."""
    local = timezone.localtime(now)
    today, cohort_month = local.date(), month_start(local.date())
    paused_series, paused_messages = paused_ids()
    ran_today = set(
        CohortDispatch.objects.filter(cohort_month=cohort_month, run_on=today).values_list(
            "message_id", flat=True
        )
    )
    reached = set(
        CohortDispatch.objects.filter(cohort_month=cohort_month)
        .exclude(status=DispatchStatus.HELD)
        .values_list("message_id", flat=True)
    )
    catch_up = settings.MILESTONES_LATE_REGISTRANTS_GET_CURRENT_MONTH
    due = []
    # Only the source (Japanese) series is scheduled: a translation made with wagtail-localize
    # copies its messages, and scheduling the copies too would send every family each message twice.
    source_messages = TimedMessage.objects.filter(page__live=True, page__locale=Locale.get_default())
    for message in source_messages.order_by("pk"):
        if message.page_id in paused_series or message.pk in paused_messages or message.pk in ran_today:
            continue
        if now < message.send_at(cohort_month):
            continue
        if message.pk in reached and (not catch_up or local.time() < message.send_time):
            # Later days of the month only reach newcomers, at the message's time of day.
            continue
        due.append(message)
    return due


def dispatch_due_messages(now=None):
    """Run every due message for this month's cohort. Returns the :class:`CohortDispatch` rows made."""
    now = now or timezone.now()
    cohort_month = month_start(timezone.localdate(now))
    dispatches = []
    for message in due_messages(now):
        dispatch = dispatch_message(message.pk, cohort_month, now=now)
        if dispatch is not None:
            dispatches.append(dispatch)
    return dispatches


def dispatch_message(message_pk, cohort_month, *, now):
    """Claim one message's run for one cohort month today and issue its notification.

    Returns None when another run claimed it or the message is gone.
    """
    today = timezone.localdate(now)
    with transaction.atomic():
        message = (
            TimedMessage.objects.select_related("page", "target")
            .filter(pk=message_pk, page__live=True)
            .first()
        )
        if message is None:
            return None
        earlier = set(
            CohortDispatch.objects.filter(message_id=message.pk, cohort_month=cohort_month).values_list(
                "status", flat=True
            )
        )
        first_run = not (earlier - {DispatchStatus.HELD})
        reason = str(hold_reason(message))[:255]
        try:
            with transaction.atomic():
                dispatch = CohortDispatch.objects.create(
                    series=message.page,
                    message_id=message.pk,
                    cohort_month=cohort_month,
                    run_on=today,
                    status=DispatchStatus.HELD if reason else DispatchStatus.EMPTY,
                    hold_reason=reason,
                    lateness=max(now - message.send_at(cohort_month), datetime.timedelta(0)),
                )
        except IntegrityError:
            return None
        if reason:
            logger.info("Timed message %s held for %s: %s", message.pk, f"{cohort_month:%Y-%m}", reason)
            if DispatchStatus.HELD not in earlier:
                _log(message, "oyako.timed_message_held", dispatch)
            return dispatch
        since = None
        if not first_run:
            # Later runs of the month look only at rows changed since the month's first run (a new
            # follower, a corrected month); a margin covers a change committed while it ran.
            since = (
                CohortDispatch.objects.filter(message_id=message.pk, cohort_month=cohort_month)
                .exclude(status=DispatchStatus.HELD)
                .exclude(pk=dispatch.pk)
                .order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            )
            since = since - CHANGE_MARGIN if since else None
        groups = claim_cohort(message, cohort_month, dispatch, changed_since=since)
        if not any(any(recipients.values()) for recipients in groups.values()):
            return dispatch
        source = f"{TIMED_MESSAGE_SOURCE_PREFIX}{message.pk}:{cohort_month:%Y-%m}"
        if not first_run:
            source += f":{today:%Y-%m-%d}"
        texts = translated_texts(message)
        notification_ids = []
        # Children the family named get the message under their name ("〇〇ちゃん 1歳"): one
        # notification per name, so a batch still carries one text per language.
        for label in sorted(groups):
            recipients = groups[label]
            if not any(recipients.values()):
                continue
            labelled_source = source if not label else f"{source}:n:{_label_digest(label)}"
            notification = issue_notification(
                source=labelled_source,
                page=message.target,
                title=message.target.title,
                text=named_text(message, label, message.text, settings.LANGUAGE_CODE),
                texts={code: named_text(message, label, text, code) for code, text in texts.items()},
                words_page=message.page,
                revision=message.target.live_revision,
                recipients=recipients,
                lateness=dispatch.lateness,
            )
            notification_ids.append(notification.pk)
        dispatch.status = DispatchStatus.ISSUED
        dispatch.notification_id = notification_ids[0]
        dispatch.recipient_count = sum(
            len(pks) for recipients in groups.values() for pks in recipients.values()
        )
        dispatch.save(update_fields=["status", "notification_id", "recipient_count"])
        _log(message, "oyako.timed_message_issued", dispatch)
        return dispatch


def translated_texts(message):
    """The message's text in each language its series is announceably translated into (live,
    approved where approval is required, up to date), as ``{language code: text}``: the
    translation's message with the same ``translation_key``. The title is the linked page's and is
    translated with it when sending."""
    from notifications.services import announceable_translations

    texts = {}
    for code, series in announceable_translations(message.page).items():
        translated = _same_child(series.messages.all(), message)
        if translated is not None:
            texts[code] = translated.text
    return texts


def claim_recipients(message, cohort_month, dispatch, changed_since=None):
    """The subscribers this run may send ``message`` to, whatever their children's names, as
    ``{"line": [pk, ...], "fcm": [pk, ...]}`` (see :func:`claim_cohort`)."""
    merged = {channel: [] for channel in SUBSCRIBERS}
    for recipients in claim_cohort(message, cohort_month, dispatch, changed_since).values():
        for channel, pks in recipients.items():
            merged[channel] += pks
    return merged


def claim_cohort(message, cohort_month, dispatch, changed_since=None):
    """Record a receipt for each cohort member who has none for this message; return who to send to.

    The cohort is every household's child at the message's moment (the household's linked
    followers and devices hear of it, each once however many of its children are in the cohort),
    and any subscriber not in a household whose own month is there. A child is claimed once per
    message (its receipt key is the child's); each linked subscriber once per message and child's
    month too, so someone who leaves and signs the same child up again is not told twice.

    Returns:
        ``{label: {"line": [pk, ...], "fcm": [pk, ...]}}``: label "" for children without a
        nickname and for subscribers outside a household, else the children's nicknames.
    """
    from notifications.family import provider

    condition = cohort_q(message, cohort_month)
    groups = {}
    own = {}
    changed = condition if changed_since is None else condition & Q(updated_at__gte=changed_since)
    for channel, model in SUBSCRIBERS.items():
        rows = model.objects.active().filter(changed).values_list("pk", model.ID_FIELD)
        for pk, identifier in rows.iterator(chunk_size=2000):
            own[subscriber_key(channel, identifier)] = (channel, pk)
    family = provider()
    cohort = list(family.cohort(condition, changed_since)) if family is not None else []
    claimed_children = _claim_keys(message, dispatch, [row[0] for row in cohort])
    reference = message.reference_month(cohort_month)
    linked = {}
    for key, nickname, _month, members in cohort:
        if key not in claimed_children:
            continue
        for channel, pk, identifier, _language in members:
            month_key = family.subscriber_month_key(channel, identifier, reference)
            entry = linked.setdefault(month_key, [channel, pk, []])
            if nickname and nickname not in entry[2]:
                entry[2].append(nickname)
    claimed = _claim_keys(message, dispatch, list(own) + list(linked))
    for key in claimed:
        if key in own:
            channel, pk = own[key]
            label = ""
        else:
            channel, pk, names = linked[key]
            label = "・".join(names)
        recipients = groups.setdefault(label, {channel: [] for channel in SUBSCRIBERS})
        if pk not in recipients[channel]:
            recipients[channel].append(pk)
    return groups


def _claim_keys(message, dispatch, keys):
    """Insert a receipt for each of ``keys`` that has none for ``message``; the keys this dispatch
    holds afterwards (a concurrent run for another month may have taken some)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return set()
    known = set()
    for start in range(0, len(keys), KEY_CHUNK):
        known.update(
            Receipt.objects.filter(
                message_id=message.pk, subscriber_key__in=keys[start : start + KEY_CHUNK]
            ).values_list("subscriber_key", flat=True)
        )
    new = [key for key in keys if key not in known]
    if not new:
        return set()
    Receipt.objects.bulk_create(
        [Receipt(message_id=message.pk, subscriber_key=key, dispatch=dispatch) for key in new],
        batch_size=KEY_CHUNK,
        ignore_conflicts=True,
    )
    held = set()
    for start in range(0, len(new), KEY_CHUNK):
        held.update(
            Receipt.objects.filter(
                dispatch=dispatch, subscriber_key__in=new[start : start + KEY_CHUNK]
            ).values_list("subscriber_key", flat=True)
        )
    return held


def _label_digest(label):
    return hashlib.sha256(label.encode()).hexdigest()[:12]


def age_label(message):
    """The child's age or the pregnancy's moment a message is for, as the family reads it."""
    if message.moment == Moment.PREGNANCY:
        return message.moment_label()
    years, months = divmod(message.months, 12)
    if not years:
        return ngettext("%(months)d month old", "%(months)d months old", months) % {"months": months}
    if not months:
        return ngettext("%(years)d year old", "%(years)d years old", years) % {"years": years}
    return _("%(years)d years %(months)d months old") % {"years": years, "months": months}


def named_text(message, label, text, language):
    """``text`` under the children's nicknames and their age ("〇〇ちゃん 1歳"), in ``language``.

    The nickname is the family's own word and the age a fact; the message's words stay the
    reviewed ones, unchanged.
    """
    if not label:
        return text
    with translation.override(language):
        heading = _("%(nickname)s, %(age)s") % {"nickname": label, "age": age_label(message)}
    return f"{heading}\n{text}"


def issue_notification(**kwargs):
    """The one road to a family's phone (``notifications.services.issue``), looked up when used."""
    from notifications import services

    return services.issue(**kwargs)


def purge_receipts(now=None):
    """Forget receipts older than ``MILESTONES_RECEIPT_RETENTION``; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = Receipt.objects.filter(
        created_at__lt=now - settings.MILESTONES_RECEIPT_RETENTION
    ).delete()
    return deleted


def pause(series, user, message_id=None):
    """Pause a series or one of its messages at once; returns False if it already was."""
    _pause, created = Pause.objects.get_or_create(
        series=series, message_id=message_id, defaults={"paused_by": user}
    )
    if created:
        _log_page(series, "oyako.timed_message_paused", user, {"message": message_id})
    return created


def resume(series, user, message_id=None):
    """Lift a pause; returns False if there was none."""
    deleted, _by_model = Pause.objects.filter(series=series, message_id=message_id).delete()
    if deleted:
        _log_page(series, "oyako.timed_message_resumed", user, {"message": message_id})
    return bool(deleted)


def _log(message, action, dispatch):
    _log_page(
        message.page,
        action,
        None,
        {
            "message": message.pk,
            "month": f"{dispatch.cohort_month:%Y-%m}",
            "families": dispatch.recipient_count,
            "reason": dispatch.hold_reason,
        },
    )


def _log_page(page, action, user, data):
    from wagtail.log_actions import log

    log(instance=page, action=action, user=user, data=data)


def _same_child(children, message):
    """The translation of ``message`` among a translated page's inline children, or None."""
    key = str(message.translation_key)
    return next((child for child in children if str(child.translation_key) == key), None)
