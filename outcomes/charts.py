"""Server-rendered SVG bar charts: geometry only; the template draws them with presentation
attributes (no inline styles or scripts) beside a data table, so they work without JavaScript."""

from dataclasses import dataclass

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 16, 36, 8


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    display: str
    hidden: bool
    withheld: bool
    label_x: float
    value_y: float


def bars(series, chart_id):
    """Bars for a :class:`outcomes.kpi.Series`; suppressed or empty points get no bar.

    Returns:
        A dict with the chart's ``width``, ``height``, ``baseline``, ``maximum`` and ``bars``.
    """
    points = series.points
    values = [float(p.shown) for p in points if p.shown is not None]
    maximum = max(values, default=0) or 1
    slot = (WIDTH - LEFT) / max(len(points), 1)
    usable = HEIGHT - TOP - BOTTOM
    result = []
    for index, point in enumerate(points):
        value = float(point.shown) if point.shown is not None else 0.0
        height = usable * value / maximum
        x = LEFT + index * slot + slot * 0.15
        result.append(
            Bar(
                x=round(x, 1),
                y=round(TOP + usable - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=point.label,
                display=point.display,
                hidden=point.hidden,
                withheld=point.withheld,
                label_x=round(x + slot * 0.35, 1),
                value_y=round(TOP + usable - height - 4, 1),
            )
        )
    return {
        "id": chart_id,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": TOP + usable,
        "label_y": HEIGHT - BOTTOM + 16,
        "maximum": maximum,
        "bars": result,
    }
