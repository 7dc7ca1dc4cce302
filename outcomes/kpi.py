"""The six KPIs of the plan for one fiscal year, derived from rows, with the small-number rule.

Each KPI is a :class:`Figure`: its value, target, progress, pace, the number of people it rests
on, and a monthly (or quarterly) series. Any figure computed from 1–4 people is suppressed and
shown as "fewer than 5", here, in the dashboard and in the exports alike; where a series is shown
with its total, :func:`outcomes.disclosure.protect` withholds further cells ("not shown") so that
no hidden figure can be worked out by subtraction.

Other apps add lines to the dashboard with the ``register_kpi_dashboard_line`` Wagtail hook: a
function ``(fiscal_year) -> Series`` (see :class:`Series`); this module never imports them.

Apps that carry a service themselves (bookings, text consultations, the self-check) add their rows
to the KPIs through two more hooks, so that each figure says which source it has and counts no use
or person twice:

- ``register_service_use_source``: a function ``(fiscal_year, now) -> UseSource`` giving uses per
  (reported service code, month) from the hub's own rows that happened at or before ``now``. For a
  service and month the hub has rows for, the contractor's imported figure is left out: the hub's
  rows replace it, never add to it.
- ``register_phq9_source``: a function ``(fiscal_year, now) -> Phq9Source`` giving the cases (start
  score, end date, end score) from the hub's own first and follow-up checks, both taken at or
  before ``now``, beside the contractor's imported cases.

Every figure is as of a moment ``now`` (the real now by default): only what happened at or before
it counts, so that the scorecard at a past quarter's end shows that quarter's figures.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from notifications import kpi as notifications_kpi
from notifications.family import provider as family_provider
from notifications.kpi import FISCAL_TZ, fiscal_year_bounds, fiscal_year_of
from notifications.models import AppDevice, LineFollower

from . import disclosure
from .models import (
    SMALL_NUMBER,
    CounsellingOutcome,
    KpiSettings,
    Quarter,
    ServiceUsage,
    SurveyPage,
    SurveyResponse,
)

FEWER_THAN_5 = _("fewer than 5")
NOT_SHOWN = _("not shown")
NO_DATA = "—"


def suppressed(people):
    """The small-number rule: a figure from 1 to 4 people is never shown as a number."""
    return 0 < people < SMALL_NUMBER


@dataclass
class Point:
    """One month's or quarter's value, with the number of people it rests on."""

    label: str
    value: float | int | None
    people: int
    withheld: bool = False  # not shown so that a small figure beside it cannot be worked out

    @property
    def small(self):
        return suppressed(self.people)

    @property
    def hidden(self):
        return self.small or self.withheld

    @property
    def shown(self):
        """The value to show, or None when it is suppressed or there is nothing."""
        return None if self.hidden else self.value

    @property
    def display(self):
        if self.small:
            return str(FEWER_THAN_5)
        if self.withheld:
            return str(NOT_SHOWN)
        if self.value is None:
            return NO_DATA
        return _format(self.value)


@dataclass
class Series:
    """A chart's data: a label, a stated definition and its points in order."""

    label: str
    definition: str
    points: list
    unit: str = ""


@dataclass
class Figure:
    key: str
    label: str
    definition: str
    value: float | int | None
    people: int
    target: float | int
    unit: str = ""
    higher_is_pace: bool = False  # a rate or mean: on pace when at target; a count: pro rata
    series: list = field(default_factory=list)
    extra: list = field(default_factory=list)  # (label, Point) pairs shown beside the figure
    withheld: bool = False  # the total is not shown, so that a small month cannot be worked out
    health: bool = False  # PHQ-9: only for those entitled to health figures (outcomes.access)

    @property
    def hidden(self):
        return suppressed(self.people) or self.withheld

    @property
    def display(self):
        return Point(self.label, self.value, self.people, self.withheld).display

    @property
    def achievement(self):
        """The value as a share of the target (1.3 for 130 %, never capped), or None."""
        if self.hidden or self.value is None or not self.target:
            return None
        return float(self.value) / float(self.target)

    @property
    def achievement_percent(self):
        return None if self.achievement is None else round(100 * self.achievement)

    @property
    def percent(self):
        """Progress toward the target for a progress bar, 0–100, or None when not shown."""
        if self.achievement is None:
            return None
        return max(0, min(100, round(100 * self.achievement)))

    def on_pace(self, elapsed):
        """Whether the figure is on pace for the year; None when it cannot be said.

        Args:
            elapsed: the share of the fiscal year gone, 0–1.
        """
        if self.hidden or self.value is None or elapsed <= 0:
            return None
        expected = float(self.target) if self.higher_is_pace else float(self.target) * elapsed
        return float(self.value) >= expected


def _format(value):
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def fiscal_months(fiscal_year):
    """The twelve first days of the months of a fiscal year, April to March."""
    return [datetime.date(fiscal_year + (m < 4), m, 1) for m in (*range(4, 13), 1, 2, 3)]


def _local_date(now):
    """The date of ``now`` in Asia/Tokyo: a row dated that day or before happened by ``now``."""
    return timezone.localtime(now, FISCAL_TZ).date()


def elapsed_share(fiscal_year, now=None):
    start, end = fiscal_year_bounds(fiscal_year)
    now = now or timezone.now()
    if now <= start:
        return 0.0
    if now >= end:
        return 1.0
    return (now - start) / (end - start)


def _month_counts(queryset, field_name):
    rows = (
        queryset.annotate(month=TruncMonth(field_name, tzinfo=FISCAL_TZ))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        counts[month] = counts.get(month, 0) + row["n"]
    return counts


def _monthly(label, counts, fiscal_year, people=True):
    return [
        Point(f"{month:%Y-%m}", counts.get(month, 0), counts.get(month, 0) if people else SMALL_NUMBER)
        for month in fiscal_months(fiscal_year)
    ]


# 1. Notifications issued


def notifications(fiscal_year, config, now=None):
    """Notifications whose first batch was accepted in the year, at or before ``now``."""
    start, end = fiscal_year_bounds(fiscal_year)
    now = now or timezone.now()
    rows = notifications_kpi.counted().filter(
        first_accepted_at__gte=start, first_accepted_at__lt=end, first_accepted_at__lte=now
    )
    counts = _month_counts(rows, "first_accepted_at")
    label = str(_("Notifications issued"))
    return Figure(
        key="notifications",
        label=label,
        definition=config.notifications_definition,
        value=rows.count(),
        people=SMALL_NUMBER,  # a count of notifications, not of people: never suppressed
        target=config.notifications_target,
        series=[
            Series(label, config.notifications_definition, _monthly(label, counts, fiscal_year, people=False))
        ],
    )


# 2. Registrants, with new registrations and leavers in the year


def _in_year(field_name, start, end, now):
    """Rows whose ``field_name`` falls in ``[start, end)`` and at or before ``now``."""
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end, f"{field_name}__lte": now})


def registrants(fiscal_year, config, now=None):
    """Registrants (households) now (or at the year's end for a past year), with the followers and
    devices beside them, and the followers and devices that joined and left within the year (up to
    ``now``).

    A LINE follower joins at ``followed_at`` and leaves at ``unfollowed_at`` (the row stays, its
    user ID forgotten; a re-follow makes a new row). An app device joins when created and leaves
    at ``deactivated_at``.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    now = now or timezone.now()
    at = min(now, end)
    followers = LineFollower.objects.filter(
        Q(followed_at__lt=at) | Q(followed_at__isnull=True, created_at__lt=at)
    ).filter(Q(unfollowed_at__isnull=True) | Q(unfollowed_at__gte=at))
    devices = AppDevice.objects.filter(created_at__lt=at).filter(
        Q(deactivated_at__isnull=True) | Q(deactivated_at__gte=at)
    )
    subscribers = followers.count() + devices.count()
    # A household counts once however many of its family follow (notifications.family); a follower
    # or device in no household is a family of its own. Links are as they are now.
    family = family_provider()
    level = family.household_count(followers, devices) if family is not None else subscribers

    joined_followers = LineFollower.objects.filter(
        _in_year("followed_at", start, end, now)
        | (Q(followed_at__isnull=True) & _in_year("created_at", start, end, now))
    )
    joined = _add(
        _month_counts(joined_followers.filter(followed_at__isnull=False), "followed_at"),
        _month_counts(joined_followers.filter(followed_at__isnull=True), "created_at"),
        _month_counts(AppDevice.objects.filter(_in_year("created_at", start, end, now)), "created_at"),
    )
    left = _add(
        _month_counts(
            LineFollower.objects.filter(_in_year("unfollowed_at", start, end, now)), "unfollowed_at"
        ),
        _month_counts(
            AppDevice.objects.filter(_in_year("deactivated_at", start, end, now)), "deactivated_at"
        ),
    )
    joined_label, left_label = str(_("New registrations")), str(_("Leavers"))
    joined_points = _monthly(joined_label, joined, fiscal_year)
    left_points = _monthly(left_label, left, fiscal_year)
    return Figure(
        key="registrants",
        label=str(_("Registrants")),
        definition=config.registrants_definition,
        value=level,
        people=level,
        target=config.registrants_target,
        series=[
            Series(joined_label, config.registrants_definition, joined_points),
            Series(left_label, config.registrants_definition, left_points),
        ],
        extra=[
            *_linked([joined_label, left_label], [joined_points, left_points]),
            (str(_("LINE followers and app devices")), Point("", subscribers, subscribers)),
        ],
    )


def _linked(labels, series):
    """The year's new registrations and leavers: the registrants at the year's end less those a
    year before is their difference, so when one is hidden the other is withheld too."""
    totals = [protected_total(label, points) for label, points in zip(labels, series, strict=True)]
    if any(total.hidden for total in totals):
        for total in totals:
            total.withheld = total.withheld or bool(total.value)
    return list(zip(labels, totals, strict=True))


def protected_total(label, points):
    """The total of a series of counts, with the series protected against subtraction."""
    total = sum(p.value or 0 for p in points)
    return Point(label, total, total, withheld=disclosure.protect(points, total_shown=not suppressed(total)))


def _add(*dicts):
    total = {}
    for counts in dicts:
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    return total


# 3. Uses of the consultation and counselling services

USE_SOURCE_HOOK = "register_service_use_source"
PHQ9_SOURCE_HOOK = "register_phq9_source"


@dataclass
class UseSource:
    """Uses a hub feature recorded itself, from its rows: ``counts`` maps (reported service code,
    first day of the month) to the number of uses."""

    key: str
    label: str
    counts: dict


@dataclass
class Phq9Source:
    """PHQ-9 cases a hub feature recorded itself: (start score, end date, end score) triples, one per
    person and episode, never a person counted in another source too."""

    key: str
    label: str
    cases: list


def use_sources(fiscal_year, now=None):
    """The contractor's imported uses and each hub source's, per month, with no (service, month)
    counted twice: where the hub has rows for a service in a month, its rows replace the import.

    Only what happened at or before ``now`` counts: a hub source's rows by their own time, an
    imported month (one figure for the whole month) once the month has begun.

    Returns:
        A list of ``(key, label, {month: uses})``, the import first.
    """
    now = now or timezone.now()
    months = fiscal_months(fiscal_year)
    first, last = months[0], min(months[-1], _local_date(now))
    sources = [source(fiscal_year, now=now) for source in hooks.get_hooks(USE_SOURCE_HOOK)]
    carried = {key for source in sources for key, uses in source.counts.items() if uses}
    imported = {}
    rows = ServiceUsage.objects.filter(month__gte=first, month__lte=last).values_list(
        "service__code", "month", "uses"
    )
    for code, month, uses in rows:
        if (code, month) not in carried:
            imported[month] = imported.get(month, 0) + uses
    found = [("imported", str(_("Contractor's report (imported)")), imported)]
    for source in sources:
        monthly = {}
        for (_code, month), uses in source.counts.items():
            if first <= month <= last:
                monthly[month] = monthly.get(month, 0) + uses
        found.append((source.key, str(source.label), monthly))
    return found


def service_uses(fiscal_year, config, now=None):
    label = str(_("Uses of consultation and counselling"))
    sources = use_sources(fiscal_year, now=now)
    counts = _add(*(monthly for _key, _label, monthly in sources))
    points = _monthly(label, counts, fiscal_year)
    total = protected_total(label, points)
    series = [Series(label, config.service_uses_definition, points)]
    extra = []
    if len(sources) > 1:
        # Each source's own line, so the dashboard says where every figure comes from.
        for _key, source_label, monthly in sources:
            source_points = _monthly(source_label, monthly, fiscal_year)
            source_total = protected_total(source_label, source_points)
            source_total.withheld = source_total.withheld or (total.hidden and bool(source_total.value))
            series.append(Series(source_label, config.service_uses_definition, source_points))
            extra.append((source_label, source_total))
        if any(point.hidden for _label, point in extra):
            # One hidden source would follow from the total less the others.
            for _label, point in extra:
                point.withheld = point.withheld or bool(point.value)
    return Figure(
        key="service_uses",
        label=label,
        definition=config.service_uses_definition,
        value=total.value,
        people=total.people,
        target=config.service_uses_target,
        series=series,
        extra=extra,
        withheld=total.withheld,
    )


# 4 and 5. The quarterly survey


def survey_responses(surveys, include_untokened, now=None):
    """The rounds' answers (only those answered at or before ``now``, when given)."""
    responses = SurveyResponse.objects.filter(page__in=[survey.pk for survey in surveys])
    if not include_untokened:
        responses = responses.filter(tokened=True)
    if now is not None:
        responses = responses.filter(submit_time__lte=now)
    return responses


@dataclass
class RoundResult:
    """One survey round's scorecard figures."""

    survey: object
    responses: int = 0
    satisfaction_sum: int = 0
    satisfaction_items: int = 0
    satisfaction_people: int = 0
    image_improved: int = 0
    image_answered: int = 0

    @property
    def satisfaction(self):
        return round(self.satisfaction_sum / self.satisfaction_items, 2) if self.satisfaction_items else None

    @property
    def image_percent(self):
        return round(100 * self.image_improved / self.image_answered, 1) if self.image_answered else None


def round_result(survey, include_untokened=True, now=None):
    """Count a round's answers (those answered at or before ``now``, when given): satisfaction items
    (1–5) and the image question's mapped answers."""
    fields = list(survey.form_fields.all())
    satisfaction = [f.clean_name for f in fields if f.counts_for_satisfaction]
    image = next((f for f in fields if f.is_image_question), None)
    improved = image.improved_set() if image else set()
    result = RoundResult(survey)
    for response in survey_responses([survey], include_untokened, now=now).iterator():
        answers = response.answers()
        result.responses += 1
        points = [_rating(answers.get(name)) for name in satisfaction]
        points = [p for p in points if p is not None]
        if points:
            result.satisfaction_people += 1
            result.satisfaction_sum += sum(points)
            result.satisfaction_items += len(points)
        if image is not None and answers.get(image.clean_name) not in (None, "", []):
            answer = answers[image.clean_name]
            given = {str(a) for a in answer} if isinstance(answer, list) else {str(answer)}
            result.image_answered += 1
            result.image_improved += bool(given & improved)
    return result


def _rating(value):
    try:
        point = int(value)
    except (TypeError, ValueError):
        return None
    return point if 1 <= point <= 5 else None


def survey_figures(fiscal_year, config, include_untokened=None, now=None):
    if include_untokened is None:
        include_untokened = config.include_untokened_answers
    now = now or timezone.now()
    surveys = {s.quarter: s for s in SurveyPage.objects.filter(fiscal_year=fiscal_year)}
    results = {q: round_result(s, include_untokened, now=now) for q, s in surveys.items()}
    total = RoundResult(None)
    for result in results.values():
        for name in (
            "satisfaction_sum",
            "satisfaction_items",
            "satisfaction_people",
            "image_improved",
            "image_answered",
        ):
            setattr(total, name, getattr(total, name) + getattr(result, name))

    def quarterly(attribute, people):
        return [
            Point(
                str(label),
                getattr(results[q], attribute) if q in results else None,
                getattr(results[q], people) if q in results else 0,
            )
            for q, label in Quarter.choices
        ]

    satisfaction_label = str(_("Satisfaction (mean of 5-point items)"))
    image_label = str(_("Image of the city improved"))
    return (
        Figure(
            key="satisfaction",
            label=satisfaction_label,
            definition=config.satisfaction_definition,
            value=total.satisfaction,
            people=total.satisfaction_people,
            target=float(config.satisfaction_target),
            higher_is_pace=True,
            series=[
                Series(
                    satisfaction_label,
                    config.satisfaction_definition,
                    quarterly("satisfaction", "satisfaction_people"),
                )
            ],
        ),
        Figure(
            key="image",
            label=image_label,
            definition=config.image_definition,
            value=total.image_percent,
            people=total.image_answered,
            target=config.image_target_percent,
            unit="%",
            higher_is_pace=True,
            series=[
                Series(
                    image_label, config.image_definition, quarterly("image_percent", "image_answered"), "%"
                )
            ],
        ),
    )


# 6. PHQ-9 improvement among counselling clients


def phq9(fiscal_year, config, now=None):
    """Share of cases ending in the year that started at or above the start threshold and fell to
    the end threshold (inclusive or not, as set). A case counts once both its ends are at or
    before ``now`` (by date, Asia/Tokyo)."""
    now = now or timezone.now()
    months = fiscal_months(fiscal_year)
    today = _local_date(now)
    start, end = months[0], datetime.date(fiscal_year + 1, 4, 1)
    cases = list(
        CounsellingOutcome.objects.filter(
            end_date__gte=start,
            end_date__lt=end,
            end_date__lte=today,
            start_date__lte=today,
            start_score__gte=config.phq9_start_threshold,
        ).values_list("end_date", "end_score")
    )
    for source in hooks.get_hooks(PHQ9_SOURCE_HOOK):
        cases.extend(
            (end_date, end_score)
            for start_score, end_date, end_score in source(fiscal_year, now=now).cases
            if start <= end_date < end and end_date <= today and start_score >= config.phq9_start_threshold
        )
    by_month = {month: [0, 0] for month in months}
    for end_date, end_score in cases:
        bucket = by_month[end_date.replace(day=1)]
        bucket[0] += 1
        bucket[1] += config.phq9_improved(end_score)
    eligible = sum(b[0] for b in by_month.values())
    improved = sum(b[1] for b in by_month.values())
    label = str(_("PHQ-9 improved among counselling clients"))
    points = [
        Point(f"{month:%Y-%m}", round(100 * b[1] / b[0], 1) if b[0] else None, b[0])
        for month, b in by_month.items()
    ]
    return Figure(
        key="phq9",
        label=label,
        definition=config.phq9_definition,
        value=round(100 * improved / eligible, 1) if eligible else None,
        people=eligible,
        target=config.phq9_target_percent,
        unit="%",
        higher_is_pace=True,
        series=[Series(label, config.phq9_definition, points, "%")],
        health=True,
    )


def extra_lines(fiscal_year):
    """Series other apps add through the ``register_kpi_dashboard_line`` hook."""
    return [line(fiscal_year) for line in hooks.get_hooks("register_kpi_dashboard_line")]


def scorecard(fiscal_year=None, include_untokened=None, now=None, health=True):
    """The six KPIs for a fiscal year, in the plan's order.

    Args:
        fiscal_year: defaults to the current one (Asia/Tokyo).
        include_untokened: count survey answers without an invitation; defaults to the setting.
        now: the moment the figures are as of: only what happened at or before it counts
            (notifications by sending, registrants, uses, survey answers by answering, PHQ-9
            cases by both their checks); defaults to now.
        health: include the PHQ-9 figure (False for those not entitled to health figures).
    """
    now = now or timezone.now()
    if fiscal_year is None:
        fiscal_year = fiscal_year_of(now)
    config = KpiSettings.load()
    satisfaction, image = survey_figures(fiscal_year, config, include_untokened, now=now)
    figures = [
        notifications(fiscal_year, config, now=now),
        registrants(fiscal_year, config, now=now),
        service_uses(fiscal_year, config, now=now),
        satisfaction,
        image,
    ]
    return [*figures, phq9(fiscal_year, config, now=now)] if health else figures


def response_rate(survey, responses):
    """Answers as a share of the families the announcement reached, or None before it is sent."""
    from notifications.models import Batch

    from .services import announcement_source

    reached = (
        Batch.objects.filter(
            notification__source=announcement_source(survey), accepted_at__isnull=False
        ).aggregate(n=Sum("recipient_count"))["n"]
        or 0
    )
    if not reached:
        return None
    return Point("", round(100 * responses / reached, 1), responses)


CHOICE_TYPES = {"dropdown", "radio", "multiselect", "checkboxes", "checkbox"}
TEXT_TYPES = {"singleline", "multiline"}


def question_summaries(survey, include_untokened=True, free_text=True, now=None):
    """Each question's mean and distribution (ratings), distribution (choices) or texts (free text),
    of the answers given at or before ``now`` when given (a report as of its quarter's end).

    Every count and mean follows the small-number rule, and each distribution is protected against
    subtraction from the number of answers (a rating's mean is withheld when a cell is hidden: with
    the count, it would pin the hidden cells). Free text is listed as written, only when
    ``free_text`` (those entitled to it; otherwise ``texts`` is None).
    """
    fields = list(survey.form_fields.order_by("sort_order"))
    answers = [r.answers() for r in survey_responses([survey], include_untokened, now=now).order_by("?")]
    summaries = []
    for question in fields:
        given = [
            a.get(question.clean_name) for a in answers if a.get(question.clean_name) not in (None, "", [])
        ]
        summary = {"question": question, "answered": Point("", len(given), len(given)), "kind": "other"}
        if question.field_type == "rating":
            points = [p for p in (_rating(v) for v in given) if p is not None]
            distribution = _protected([(str(p), _count_point(points.count(p))) for p in range(1, 6)])
            mean = Point("", round(sum(points) / len(points), 2) if points else None, len(points))
            mean.withheld = any(point.hidden for _label, point in distribution)
            summary.update(kind="rating", mean=mean, distribution=distribution)
        elif question.field_type in CHOICE_TYPES:
            flat = [str(x) for v in given for x in (v if isinstance(v, list) else [v])]
            options = [c.strip() for c in question.choices.splitlines() if c.strip()] or sorted(set(flat))
            summary.update(
                kind="choice",
                distribution=_protected([(option, _count_point(flat.count(option))) for option in options]),
            )
        elif question.field_type in TEXT_TYPES:
            summary.update(kind="text", texts=[str(v) for v in given] if free_text else None)
        summaries.append(summary)
    return summaries


def _count_point(count):
    return Point("", count, count)


def _protected(distribution):
    """A distribution beside the number of answers: withhold what would let a small cell out."""
    points = [point for _label, point in distribution]
    if disclosure.protect(points):
        for point in points:
            point.withheld = point.withheld or bool(point.value)
    return distribution
