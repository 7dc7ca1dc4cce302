"""What parents looked for and did not find: queries grouped by their normalised words.

A query is masked (:func:`guidance.masking.mask`: phone numbers, e-mail addresses, names…) before
anything of it is kept; its topic is the sorted set of its content words as site search reads them
(:func:`articles.search.analyse`, SudachiPy), so 「離乳食はいつから？」 and 「いつから離乳食」 are one
topic. A topic is shown only when it was asked at least ``MIN_OCCURRENCES`` times in a month, and
the masked text itself is erased after 30 days (:func:`measurement.tasks.purge_raw_queries`).
Nothing is recorded for a query the crisis check matched: callers run it first and record only
what it let through.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

from notifications.kpi import FISCAL_TZ

from .models import NotFoundQuery

MIN_OCCURRENCES = 5
TOP = 20
_MASK_LABEL_RE = re.compile(r"\[[a-z_]+\]")
MAX_TOPIC_LENGTH = 200


def topic_of(masked_text):
    """The topic key of an already masked query: its content words, sorted, space-joined."""
    from articles.search import analyse

    words = sorted(set(analyse(_MASK_LABEL_RE.sub(" ", masked_text))))
    topic = " ".join(words)
    return topic[:MAX_TOPIC_LENGTH].rsplit(" ", 1)[0] if len(topic) > MAX_TOPIC_LENGTH else topic


def record(source, text, language, asked_at=None):
    """Keep one query that found nothing, masked; nothing when it has no content words."""
    from guidance.masking import mask

    masked = mask(text or "")[:500]
    topic = topic_of(masked)
    if not topic:
        return None
    fields = {"source": source, "language": language, "text": masked, "topic": topic}
    if asked_at is not None:
        fields["asked_at"] = asked_at
    return NotFoundQuery.objects.create(**fields)


@dataclass
class Topic:
    month: datetime.date
    topic: str
    count: int
    by_source: dict


def monthly_topics(start, end, top=TOP, minimum=MIN_OCCURRENCES):
    """The top topics per month for queries asked in ``[start, end)``, each asked ≥ ``minimum``
    times that month; returns ``{month: [Topic, …]}`` (months in Asia/Tokyo), most asked first."""
    rows = (
        NotFoundQuery.objects.filter(asked_at__gte=start, asked_at__lt=end)
        .annotate(month=TruncMonth("asked_at", tzinfo=FISCAL_TZ))
        .values("month", "topic", "source")
        .annotate(n=Count("id"))
    )
    grouped = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        entry = grouped.setdefault(month, {}).setdefault(row["topic"], {})
        entry[row["source"]] = entry.get(row["source"], 0) + row["n"]
    result = {}
    for month, topics in sorted(grouped.items()):
        shown = [
            Topic(month, topic, sum(sources.values()), sources)
            for topic, sources in topics.items()
            if sum(sources.values()) >= minimum
        ]
        shown.sort(key=lambda item: (-item.count, item.topic))
        result[month] = shown[:top]
    return result


def period_topics(start, end, top=TOP, minimum=MIN_OCCURRENCES):
    """Topics over a whole period (a quarter): only months where a topic reached ``minimum`` count
    toward it, so that no topic is shown from months where it stayed below the threshold."""
    totals = {}
    for topics in monthly_topics(start, end, top=None, minimum=minimum).values():
        for item in topics:
            totals[item.topic] = totals.get(item.topic, 0) + item.count
    ranked = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
    return ranked[:top]
