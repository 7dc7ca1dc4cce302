"""The self-check itself, the same on LINE and on the site: which words may be asked, the steps of a
session, scoring, the band, where it routes, and what is kept when it ends.

A session holds its answers only while it is open; whatever way it ends (finished, stopped at
item 9, a crisis message, the parent's "stop", expiry, or the instrument losing its approval), the
session row is deleted and only the anonymous :class:`~screening.models.CheckRecord` (and, with
consent, the :class:`~screening.models.KeptResult`) remain.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from guidance.review import words_for_parent

from .models import (
    ITEMS,
    MAX_TOTAL,
    SUICIDE_ITEM,
    CheckRecord,
    CheckSession,
    Instrument,
    KeptResult,
    Outcome,
    Route,
    ScoreBand,
)

logger = logging.getLogger(__name__)

EXPIRY = datetime.timedelta(minutes=60)
KEY_SALT = "oyako.screening.subscriber"


def subscriber_key(identity):
    """The keyed hash (HMAC-SHA256 with the site's secret) a follower's rows are kept under."""
    return salted_hmac(KEY_SALT, identity, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Words:
    """The approved words of an instrument: ``words`` (the live revision as an object),
    ``instrument`` (the row), ``revision_id``, and ``fallback`` when they are Japanese for a family
    reading another language."""

    words: Instrument
    instrument: Instrument
    revision_id: int
    fallback: bool


def _approved(instrument):
    words = words_for_parent(instrument)
    return Words(words, instrument, instrument.live_revision_id, False) if words is not None else None


def instrument_for(language):
    """The approved instrument to ask a family reading ``language``: theirs, else the approved
    Japanese one (``fallback``), else None. Never a revision no physician approved."""
    for code in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        for instrument in Instrument.objects.filter(locale__language_code=code, live=True).order_by("pk"):
            found = _approved(instrument)
            if found is not None:
                return Words(found.words, instrument, found.revision_id, code != language)
    return None


def session_words(session):
    """The words a session asks, while they are still the approved live revision it began with;
    None once they are not (the session must then stop: an unapproved revision is never asked)."""
    instrument = Instrument.objects.filter(pk=session.instrument_id).first()
    if instrument is None or instrument.live_revision_id != session.revision_id:
        return None
    found = _approved(instrument)
    return Words(found.words, instrument, found.revision_id, session.fallback) if found else None


def bands():
    return list(ScoreBand.objects.select_related("service").order_by("level"))


def band_for(total):
    """The band ``total`` falls in (the highest band if the bands leave it out)."""
    found = bands()
    for band in found:
        if total <= band.max_total:
            return band
    return found[-1] if found else None


def counselling_band():
    """The band whose service is the counselling service (its crisis contact goes with item 9)."""
    return (
        ScoreBand.objects.filter(route=Route.COUNSELLING, service__isnull=False)
        .select_related("service")
        .order_by("-level")
        .first()
    )


def is_expired(session, now=None):
    return (now or timezone.now()) - session.updated_at > EXPIRY


def open_session(key, channel):
    """The follower's open session, or None; an expired one is ended here (answers deleted)."""
    session = CheckSession.objects.filter(subscriber_key=key, channel=channel).first()
    if session is not None and is_expired(session):
        end(session, Outcome.EXPIRED)
        return None
    return session


def begin(key, channel, language, words, follows=None, event_id=""):
    """Open a session at its intro (any earlier open one of the follower's ends, expired)."""
    with transaction.atomic():
        for old in CheckSession.objects.filter(subscriber_key=key, channel=channel):
            end(old, Outcome.EXPIRED)
        record = CheckRecord.objects.create(
            month=timezone.localdate().replace(day=1),
            channel=channel,
            language=language,
            follow_up=follows is not None,
        )
        return CheckSession.objects.create(
            subscriber_key=key,
            channel=channel,
            language=language,
            instrument=words.instrument,
            revision_id=words.revision_id,
            fallback=words.fallback,
            follows=follows,
            record=record,
            last_event_id=event_id or "",
        )


def touch(session, event_id=""):
    session.updated_at = timezone.now()
    session.last_event_id = event_id or ""
    session.save(update_fields=["step", "answers", "keep", "updated_at", "last_event_id"])


def consent(session, keep, event_id=""):
    session.keep = bool(keep)
    session.step = 1
    session.answers = []
    touch(session, event_id)


def answer(session, value, event_id=""):
    """Record the answer to the current item and move on. Returns ``"next"``, ``"item9"`` (any
    answer but "not at all" to item 9: the caller stops the check) or ``"done"``."""
    value = int(value)
    if not 0 <= value <= 3 or not 1 <= session.step <= ITEMS:
        raise ValueError("not an answer to the current item")
    if session.step == SUICIDE_ITEM and value > 0:
        return "item9"
    session.answers = [*session.answers[: session.step - 1], value]
    if session.step == ITEMS:
        return "done"
    session.step += 1
    touch(session, event_id)
    return "next"


def back(session, event_id=""):
    """Go back to the previous item to change its answer (its old answer dropped)."""
    if session.step > 1:
        session.step -= 1
        session.answers = session.answers[: session.step - 1]
    touch(session, event_id)


def end(session, outcome, event_id=""):
    """End ``session`` without a result: its answers are deleted with it."""
    with transaction.atomic():
        CheckRecord.objects.filter(pk=session.record_id).update(
            outcome=outcome, closing_event_id=event_id or ""
        )
        CheckSession.objects.filter(pk=session.pk).delete()
    logger.info("Self-check ended: %s", outcome)


@dataclass(frozen=True)
class Result:
    band: ScoreBand
    total: int
    kept: KeptResult | None
    record_id: int


def finish(session, event_id=""):
    """Score the finished session, route it, keep the result if the family consented, delete the
    session (and with it the answers item by item)."""
    total = sum(session.answers)
    if len(session.answers) != ITEMS or not 0 <= total <= MAX_TOTAL:
        raise ValueError("the check is not complete")
    band = band_for(total)
    with transaction.atomic():
        kept = None
        if session.keep:
            follows = session.follows
            if follows is not None and KeptResult.objects.filter(follows=follows).exists():
                follows = None
            kept = KeptResult.objects.create(
                subscriber_key=session.subscriber_key,
                checked_on=timezone.localdate(),
                level=band.level,
                total=total,
                follows=follows,
            )
        CheckRecord.objects.filter(pk=session.record_id).update(
            outcome=Outcome.FINISHED,
            level=band.level,
            route=band.route,
            service=band.service if band.route != Route.READING else None,
            closing_event_id=event_id or "",
        )
        CheckSession.objects.filter(pk=session.pk).delete()
    return Result(band, total, kept, session.record_id)


def withdraw(key):
    """Withdraw consent: delete every kept result of the follower and cancel a pending invitation.
    Returns how many results were deleted."""
    from . import followup

    tokens = list(KeptResult.objects.filter(subscriber_key=key).values_list("pk", flat=True))
    with transaction.atomic():
        for pk in tokens:
            followup.cancel(pk, "consent withdrawn")
        deleted, _rows = KeptResult.objects.filter(subscriber_key=key).delete()
    return len(tokens) if deleted else 0


def expire_stale(now=None):
    """End every session idle for longer than the expiry (the beat's sweeper). Returns how many."""
    cutoff = (now or timezone.now()) - EXPIRY
    count = 0
    for session in CheckSession.objects.filter(updated_at__lt=cutoff):
        end(session, Outcome.EXPIRED)
        count += 1
    return count
