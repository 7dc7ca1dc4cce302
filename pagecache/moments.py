"""The moments at which the hub's pages change without an edit (see pagecache.invalidation)."""

import datetime

from django.db.models import Min
from django.utils import timezone

from .invalidation import start_of_day

ONE_DAY = datetime.timedelta(days=1)


def campaign_moments(now):
    """A campaign's banner appears on its start date and leaves after its end date; an event
    leaves "upcoming" when it starts."""
    from campaigns.models import CampaignEvent, CampaignPage

    today = timezone.localdate(now)
    campaigns = CampaignPage.objects.live()
    starts = campaigns.filter(start_date__gt=today).aggregate(day=Min("start_date"))["day"]
    ends = campaigns.filter(end_date__gte=today).aggregate(day=Min("end_date"))["day"]
    event = CampaignEvent.objects.filter(starts_at__gt=now).aggregate(at=Min("starts_at"))["at"]
    moments = [event]
    if starts:
        moments.append(start_of_day(starts))
    if ends:
        moments.append(start_of_day(ends + ONE_DAY))
    return moments


def review_moments(now):
    """An article shows its "past its review date" notice from the day after its review falls due."""
    from articles.models import ArticleApproval

    today = timezone.localdate(now)
    due = ArticleApproval.objects.filter(next_review_due__gte=today).aggregate(day=Min("next_review_due"))
    return [start_of_day(due["day"] + ONE_DAY)] if due["day"] else []
