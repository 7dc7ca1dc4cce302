"""Complementary suppression: no hidden small figure can be worked out from the figures shown.

A count from 1 to 4 people is suppressed ("fewer than 5", the primary rule in :mod:`outcomes.kpi`).
Where a series of counts is shown with its total (months and the year, answers and the number
who answered), the total minus the cells shown is the sum of the hidden cells; with one hidden
cell, that is its value. :func:`protect` therefore also withholds further cells ("not shown"),
smallest first, until no suppressed cell can be pinned to one value, and withholds the total
when no cell is left to withhold.

The reader is assumed to know what the labels say: a suppressed cell is 1–4, a withheld one is 5
or more (zero is never hidden: it is no person), and the total is the sum of the cells. A
suppressed cell is safe when, under those bounds, it could hold at least two values.

Rates and means (satisfaction, image improved, PHQ-9 improvement) rest on counts that are never
shown, so they follow the primary rule only.
"""

import math

from .models import SMALL_NUMBER

LOWEST_SMALL, HIGHEST_SMALL = 1, SMALL_NUMBER - 1


def determinable(small_cells, withheld_cells, remainder):
    """Whether a suppressed cell can be pinned to one value.

    Args:
        small_cells: how many hidden cells are 1–4.
        withheld_cells: how many hidden cells are 5 or more.
        remainder: the total minus the cells shown (the sum of the hidden cells).
    """
    if not small_cells:
        return False
    others_low = (small_cells - 1) * LOWEST_SMALL + withheld_cells * SMALL_NUMBER
    others_high = math.inf if withheld_cells else (small_cells - 1) * HIGHEST_SMALL
    low = max(LOWEST_SMALL, remainder - others_high)
    high = min(HIGHEST_SMALL, remainder - others_low)
    return high <= low


def protect(points, total_shown=True):
    """Withhold cells of a series of counts (and maybe its total) so no small cell can be derived.

    Args:
        points: :class:`outcomes.kpi.Point` objects whose value is a count of people; each one
            withheld gets ``withheld = True``.
        total_shown: whether the series' total is shown beside it.

    Returns:
        True when the total must be withheld too.
    """
    if not total_shown:
        return False
    small = [p for p in points if p.small]
    if not small:
        return False
    while True:
        withheld = [p for p in points if p.withheld]
        remainder = sum(p.value or 0 for p in small) + sum(p.value or 0 for p in withheld)
        if not determinable(len(small), len(withheld), remainder):
            return False
        candidates = [p for p in points if not p.hidden and (p.value or 0) > 0]
        if not candidates:
            return True
        min(candidates, key=lambda p: p.value).withheld = True
