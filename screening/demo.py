"""Demo content for the self-check: the Japanese PHQ-9 (sample wording, marked as awaiting the
psychiatrist's approval, approved by the demo physician so that the demo works), the English one
written and waiting for review, the bands routed to the demo services and articles, and a month's
anonymous check rows and kept results, as a city would have after a real month. Idempotent."""

import datetime
import random

from wagtail.models import Locale

from guidance.demo import _review
from guidance.models import ConsultationService
from guidance.review import words_for_parent

from . import content
from .flow import subscriber_key
from .models import Channel, CheckRecord, Instrument, KeptResult, Outcome, Route, ScoreBand

DEMO_FAMILY = "demo-family-{}"


def load(context):
    users, report = context.users, context.report
    japanese = Locale.objects.get(language_code="ja")
    instrument, created = Instrument.objects.get_or_create(
        title=content.JA["title"],
        locale=japanese,
        defaults={**content.fields(content.JA), "live": False, "has_unpublished_changes": True},
    )
    report.count("Self-check instruments", created)
    _review(instrument, users.get("editor"), users.get("physician"), report, "Self-check instruments")
    if words_for_parent(instrument) is not None:
        report.notes.append(
            "Self-check (ja): sample PHQ-9 wording approved by the demo physician "
            "in the Medical review workflow."
        )
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and users.get("editor"):
        load_english(instrument, english, users["editor"], report)
    load_bands(report)
    load_checks(context.today, report)


def load_english(source, english, editor, report):
    """The English words, written and submitted: they wait for a physician registered for English."""
    translated = Instrument.objects.filter(translation_key=source.translation_key, locale=english).first()
    if translated is not None:
        report.count("Self-check instrument translations", False)
        return
    translated = source.copy_for_translation(english)
    for field, value in content.fields(content.EN).items():
        setattr(translated, field, value)
    translated.live, translated.has_unpublished_changes = False, True
    translated.save()
    translated.save_revision(user=editor)
    workflow = translated.get_workflow()
    if workflow is not None:
        workflow.start(translated, editor)
    report.count("Self-check instrument translations", True)
    report.notes.append("Self-check (en): written by the demo editor, waiting for a physician's review.")


def load_bands(report):
    from articles.models import ArticlePage

    services = ConsultationService.objects.filter(locale__language_code="ja")
    consultation = services.filter(name__contains="オンライン医療相談").first()
    counselling = services.filter(name__contains="カウンセリング").first()
    articles = list(ArticlePage.objects.live().filter(locale__language_code="ja").order_by("pk")[:3])
    updated = False
    for band in ScoreBand.objects.all():
        if band.route == Route.CONSULTATION and band.service_id is None and consultation:
            band.service, updated = consultation, True
        elif band.route == Route.COUNSELLING and band.service_id is None and counselling:
            band.service, updated = counselling, True
        elif band.route == Route.READING and band.article_1_id is None and articles:
            band.article_1, band.article_2, band.article_3 = [*articles, None, None, None][:3]
            updated = True
        band.save()
    report.count("Self-check bands routed", updated)


def load_checks(today, report):
    """A month of checks: anonymous rows for each check begun, kept results for the families who
    consented (a few with their follow-up eight weeks later)."""
    if KeptResult.objects.filter(subscriber_key=subscriber_key(DEMO_FAMILY.format(0))).exists():
        report.count("Self-check records", False)
        return
    rng = random.Random(19)
    bands = {band.level: band for band in ScoreBand.objects.select_related("service")}
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    rows = []
    for month, started in ((last_month, 46), (this_month, 23)):
        for n in range(started):
            roll = rng.random()
            if roll < 0.12:
                rows.append(
                    CheckRecord(month=month, channel=Channel.LINE, language="ja", outcome=Outcome.EXPIRED)
                )
                continue
            if roll < 0.16:
                rows.append(
                    CheckRecord(month=month, channel=Channel.LINE, language="ja", outcome=Outcome.ITEM_9)
                )
                continue
            level = rng.choices([1, 2, 3, 4], weights=[50, 28, 14, 8])[0]
            band = bands[level]
            rows.append(
                CheckRecord(
                    month=month,
                    channel=Channel.SITE if n % 5 == 0 else Channel.LINE,
                    language="en" if n % 9 == 0 else "ja",
                    outcome=Outcome.FINISHED,
                    level=level,
                    route=band.route,
                    service=band.service if band.route != Route.READING else None,
                )
            )
    CheckRecord.objects.bulk_create(rows)
    report.count("Self-check records", True)
    totals = [13, 16, 11, 7, 18, 12, 3, 10, 21, 6, 14, 9]
    follow_ups = [6, 9, 12, None, 11, 8, None, 7, 15, None, 10, None]
    for n, (total, later) in enumerate(zip(totals, follow_ups, strict=True)):
        first_on = today - datetime.timedelta(days=70 - n)
        level = next(band.level for band in bands.values() if total <= band.max_total)
        first = KeptResult.objects.create(
            subscriber_key=subscriber_key(DEMO_FAMILY.format(n)),
            checked_on=first_on,
            level=level,
            total=total,
            follow_up_wanted=later is not None,
        )
        if later is not None:
            later_level = next(band.level for band in bands.values() if later <= band.max_total)
            KeptResult.objects.create(
                subscriber_key=first.subscriber_key,
                checked_on=first_on + datetime.timedelta(weeks=8),
                level=later_level,
                total=later,
                follows=first,
            )
    report.count("Self-check kept results", True)
    report.notes.append(f"Self-check: {len(rows)} anonymous check rows, {len(totals)} kept results.")
