"""Reach, opens and clicks per notification, from rows, with LINE's and the hub's small-figure rules.

- delivered: the families in the notification's accepted batches (the hub's own rows);
- opened: LINE's unique impressions for its unit (LINE hides under 20: "fewer than 20");
- clicked: people who opened a link per LINE, and the hub's own clicks on its redirect (every
  channel, the app included, and on days LINE's figures are missing). The hub's clicks are
  clicks, not people: a figure from 1–4 reads "fewer than 5".
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from outcomes.kpi import SMALL_NUMBER

LINE_HIDDEN_BELOW = 20
FEWER_THAN_20 = _("fewer than 20")
FEWER_THAN_5 = _("fewer than 5")
NO_FIGURE = "—"


@dataclass
class Measure:
    """One figure: ``value`` (None when unknown or hidden) and how to show it."""

    value: int | None
    hidden_below: int = 0  # 20 for LINE's hidden figures, 5 for the hub's small ones

    @property
    def display(self):
        if self.hidden_below == LINE_HIDDEN_BELOW:
            return str(FEWER_THAN_20)
        if self.hidden_below:
            return str(FEWER_THAN_5)
        return NO_FIGURE if self.value is None else f"{self.value:,}"

    @property
    def shown(self):
        return None if self.hidden_below else self.value


def line_measure(value, read):
    """A LINE figure: unknown when never read, "fewer than 20" when LINE answered null."""
    if not read:
        return Measure(None)
    if value is None:
        return Measure(None, LINE_HIDDEN_BELOW)
    return Measure(value)


def own_measure(count):
    if 0 < count < SMALL_NUMBER:
        return Measure(None, SMALL_NUMBER)
    return Measure(count)


def rate(part, whole):
    """``part`` as a percentage of ``whole`` (one decimal), or None when either is not shown."""
    if part.shown is None or whole.shown in (None, 0):
        return None
    return round(100 * part.shown / whole.shown, 1)


def rate_display(value):
    return NO_FIGURE if value is None else f"{value:.1f}%"


@dataclass
class NotificationFigures:
    notification_id: int
    delivered: Measure
    opened: Measure
    clicked_line: Measure
    clicks_hub: Measure
    unit: str = ""

    @property
    def open_rate(self):
        return rate(self.opened, self.delivered)

    @property
    def click_rate(self):
        """People who clicked per LINE, else the hub's clicks, as a share of those reached."""
        clicked = self.clicked_line if self.clicked_line.shown is not None else self.clicks_hub
        return rate(clicked, self.delivered)

    @property
    def open_rate_display(self):
        return rate_display(self.open_rate)

    @property
    def click_rate_display(self):
        return rate_display(self.click_rate)


def for_notifications(ids, clicks_between=None):
    """``{notification id: NotificationFigures}`` for ``ids``, in four queries."""
    from notifications.models import Batch

    from .models import AggregationUnit, InsightReading, LinkClick

    ids = list(ids)
    delivered = dict(
        Batch.objects.filter(notification_id__in=ids, accepted_at__isnull=False)
        .values("notification_id")
        .annotate(n=Sum("recipient_count"))
        .values_list("notification_id", "n")
    )
    readings = {r.notification_id: r for r in InsightReading.objects.filter(notification_id__in=ids)}
    clicks = LinkClick.objects.filter(link__notification_id__in=ids)
    if clicks_between:
        clicks = clicks.filter(clicked_at__gte=clicks_between[0], clicked_at__lt=clicks_between[1])
    hub_clicks = dict(
        clicks.values("link__notification_id")
        .annotate(n=Count("id"))
        .values_list("link__notification_id", "n")
    )
    units = dict(
        AggregationUnit.objects.filter(notification_id__in=ids).values_list("notification_id", "name")
    )
    result = {}
    for pk in ids:
        reading = readings.get(pk)
        result[pk] = NotificationFigures(
            notification_id=pk,
            delivered=own_measure(delivered.get(pk) or 0),
            opened=line_measure(reading.unique_impressions if reading else None, reading is not None),
            clicked_line=line_measure(reading.unique_clicks if reading else None, reading is not None),
            clicks_hub=own_measure(hub_clicks.get(pk, 0)),
            unit=units.get(pk, ""),
        )
    return result


def sent_between(start, end):
    """Notifications first accepted in ``[start, end)`` (those that reached someone)."""
    from notifications.models import Notification

    return Notification.objects.filter(first_accepted_at__gte=start, first_accepted_at__lt=end).filter(
        ~Q(status__in=["cancelled", "skipped"])
    )


def _sum_line(measures):
    """LINE figures added up: unknown when none was read; a hidden one adds nothing, and a total
    under 20 with one hidden reads "fewer than 20" (LINE's own rule, kept for the sum)."""
    read = [m for m in measures if m.value is not None or m.hidden_below]
    if not read:
        return Measure(None)
    total = sum(m.value or 0 for m in read)
    if total < LINE_HIDDEN_BELOW and any(m.hidden_below for m in read):
        return Measure(None, LINE_HIDDEN_BELOW)
    return Measure(total)


def combined(ids):
    """One :class:`NotificationFigures` for several notifications (a timed message's months)."""
    from notifications.models import Batch

    from .models import LinkClick

    ids = list(ids)
    parts = for_notifications(ids).values()
    delivered = (
        Batch.objects.filter(notification_id__in=ids, accepted_at__isnull=False).aggregate(
            n=Sum("recipient_count")
        )["n"]
        or 0
    )
    return NotificationFigures(
        notification_id=None,
        delivered=own_measure(delivered),
        opened=_sum_line([p.opened for p in parts]),
        clicked_line=_sum_line([p.clicked_line for p in parts]),
        clicks_hub=own_measure(LinkClick.objects.filter(link__notification_id__in=ids).count()),
    )


def summary(figures_):
    """The push log's line: reach, open rate, click rate, with the small-figure wording."""
    return [
        (_("reach"), figures_.delivered.display),
        (_("opened"), f"{figures_.opened.display} ({figures_.open_rate_display})"),
        (
            _("clicked"),
            f"{figures_.clicked_line.display} / {figures_.clicks_hub.display}"
            f" ({figures_.click_rate_display})",
        ),
    ]
