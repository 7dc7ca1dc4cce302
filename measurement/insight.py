"""Reading LINE's insight figures (line-bot-sdk's ``insight`` client; no network call in a request).

- per unit: ``GET /v2/bot/insight/message/event/aggregation`` from the day the notification was
  first accepted to at most 29 days later (LINE allows 30) or yesterday, whichever comes first;
- followers: ``GET /v2/bot/insight/followers`` per day; a day LINE has not finished (``unready``)
  or that could not be read is read again the next day, up to ``FOLLOWER_DAYS_BACK`` days back.

LINE hides any figure under 20 as null; it is stored as None and shown as "fewer than 20".
"""

import datetime

from linebot.v3 import insight as line_insight

from django.conf import settings
from django.utils import timezone

from notifications.kpi import FISCAL_TZ

from .models import FollowerReading, InsightReading

LINE_WINDOW_DAYS = 29
FOLLOWER_DAYS_BACK = 7
TIMEOUT = (3, 10)


class Transient(Exception):
    """LINE answered 429 or 5xx, or could not be reached: try again later."""


def client():
    configuration = line_insight.Configuration(
        host=settings.LINE_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    api_client = line_insight.ApiClient(configuration)
    return api_client, line_insight.Insight(api_client)


def _call(function, *args, **kwargs):
    try:
        return function(*args, _request_timeout=TIMEOUT, **kwargs)
    except line_insight.ApiException as error:
        if error.status == 429 or (error.status or 0) >= 500:
            raise Transient(f"LINE {error.status}") from error
        raise
    except OSError as error:
        raise Transient(type(error).__name__) from error
    except Exception as error:
        from urllib3.exceptions import HTTPError

        if isinstance(error, HTTPError):
            raise Transient(type(error).__name__) from error
        raise


def _yyyymmdd(day):
    return day.strftime("%Y%m%d")


def today_in_japan():
    return timezone.now().astimezone(FISCAL_TZ).date()


def read_unit(api, unit, today):
    """Read one unit's figures and keep them (update in place: reading twice changes nothing)."""
    sent = unit.notification.first_accepted_at.astimezone(FISCAL_TZ).date()
    end = min(sent + datetime.timedelta(days=LINE_WINDOW_DAYS), today)
    try:
        answer = _call(
            api.get_statistics_per_unit,
            custom_aggregation_unit=unit.name,
            var_from=_yyyymmdd(sent),
            to=_yyyymmdd(end),
        )
    except line_insight.ApiException as error:
        if error.status in (400, 404):
            return None  # not aggregated yet (or unknown to LINE): the previous reading stays
        raise
    overview = answer.overview
    clicks = [
        {"url": click.url, "clicks": click.click, "unique_clicks": click.unique_click}
        for click in answer.clicks or []
    ]
    reading, _created = InsightReading.objects.update_or_create(
        notification=unit.notification,
        defaults={
            "unique_impressions": overview.unique_impression if overview else None,
            "unique_clicks": overview.unique_click if overview else None,
            "clicks": clicks,
            "period_from": sent,
            "period_to": end,
        },
    )
    return reading


def read_followers(api, day):
    """Read and keep LINE's follower figures for ``day``; returns the reading."""
    answer = _call(api.get_number_of_followers, var_date=_yyyymmdd(day))
    reading, _created = FollowerReading.objects.update_or_create(
        date=day,
        defaults={
            "status": answer.status or "unready",
            "followers": answer.followers,
            "targeted_reaches": answer.targeted_reaches,
            "blocks": answer.blocks,
        },
    )
    return reading


def follower_days_to_read(today):
    """Yesterday, and every earlier day of the last week not read as ready (a missing day)."""
    days = [today - datetime.timedelta(days=n) for n in range(1, FOLLOWER_DAYS_BACK + 1)]
    ready = set(FollowerReading.objects.filter(date__in=days, status="ready").values_list("date", flat=True))
    return [day for day in days if day not in ready]
