"""Personal survey invitations, handed out on request: the LINE bot's 「アンケート」 command (the rich
menu's survey area) and the handbook app's invitation endpoint.

A push reaches many families with one text, so it cannot carry a link per family. Instead each
family asks for theirs: the hub finds the survey open now and signs a single-use token for that
subscriber and round (:mod:`outcomes.tokens`). The token is never stored; the survey page keeps only
a keyed hash of it once it has been used.
"""

from django.utils import timezone

from notifications.models import AppDevice, LineFollower, SubscriberStatus

from . import tokens
from .models import SurveyPage


def open_survey(now=None):
    """The live survey open at ``now``, or None; when two rounds overlap, the one that opened last.

    A round is one page (fiscal year and quarter are unique), written in Japanese; a follower who
    chose another language gets the bot's words in it and this page.
    """
    now = now or timezone.now()
    surveys = SurveyPage.objects.live().filter(opens_at__lte=now, closes_at__gt=now)
    return surveys.order_by("-opens_at", "-pk").first()


def invitation(subscriber, now=None):
    """``(survey title, personal link, closes at)`` for an active subscriber, or None."""
    if subscriber is None or subscriber.status != SubscriberStatus.ACTIVE:
        return None
    survey = open_survey(now)
    if survey is None:
        return None
    return survey.title, tokens.invitation_url(survey, subscriber), survey.closes_at


def for_line_user(line_user_id, language=None):
    """The hook the bot calls (``guidance_survey_invitation``): ``(title, url)`` or None."""
    follower = LineFollower.objects.filter(line_user_id=line_user_id).first() if line_user_id else None
    found = invitation(follower)
    return found[:2] if found else None


def for_app_device(token):
    """``(device, invitation or None)`` for the app's invitation endpoint; the device is None when the
    token is not registered."""
    device = AppDevice.objects.filter(token=token).first()
    if device is None:
        return None, None
    return device, invitation(device)
