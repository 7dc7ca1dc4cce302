"""Personal survey invitations on request: the LINE bot's アンケート command, end to end through the
signed webhook and the fake LINE, and the handbook app's invitation endpoint."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from django.core.cache import cache
from django.utils import timezone

from guidance.models import BotReply, Route
from guidance.tests.conftest import bot  # noqa: F401
from notifications.models import AppDevice, LineFollower, SubscriberStatus
from outcomes import invitations, tokens
from outcomes.models import SurveyResponse, UsedInvitation
from tests.fakes.fixtures import line_server  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

USER = "U" + "b" * 32
URL = "/api/app/v1/survey-invitation/"
KEY = "app-key-for-tests-0123456789"
TOKEN = "fcm-token_ABCdef:0123456789-abcdefghijkl"
LINK = re.compile(r"https?://\S+\?t=\S+")


def open_now():
    """An open period around today, whatever day the tests run."""
    now = timezone.now()
    return {"opens_at": now - timezone.timedelta(days=7), "closes_at": now + timezone.timedelta(days=21)}


@pytest.fixture
def live_survey(survey):
    page = survey(title="【サンプル】2026年度 第3回アンケート", **open_now())
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def answers(page, token):
    fields = list(page.form_fields.order_by("sort_order"))
    return {fields[0].clean_name: "5", fields[1].clean_name: "4", fields[2].clean_name: "はい", "t": token}


def personal_link(text):
    (link,) = LINK.findall(text)
    return link


def test_a_follower_tapping_survey_gets_their_own_link_which_answers_once(bot, live_survey, client):  # noqa: F811
    bot.say("アンケート", user=USER)

    text = bot.reply_text()
    assert live_survey.title in text
    link = personal_link(text)
    follower = LineFollower.objects.get(line_user_id=USER)
    token = parse_qs(urlsplit(link).query)["t"][0]
    assert tokens.check(token, live_survey) == f"linefollower:{follower.pk}"
    assert BotReply.objects.get().route == Route.MENU

    page = client.get(urlsplit(link).path, {"t": token})
    assert page.status_code == 200 and page.context["form"] is not None
    first = client.post(urlsplit(link).path, answers(live_survey, token))
    second = client.post(urlsplit(link).path, answers(live_survey, token))

    assert first.status_code == 200 and first.context["form_submission"] is not None
    assert second.context["already_answered"]
    assert SurveyResponse.objects.get().tokened
    assert UsedInvitation.objects.count() == 1
    # The response names nobody: neither the LINE user ID nor the token is stored with it.
    stored = json.dumps(SurveyResponse.objects.get().form_data, ensure_ascii=False)
    assert USER not in stored and token not in stored


def test_two_followers_get_different_links_and_the_same_follower_the_same_round(bot, live_survey):  # noqa: F811
    bot.say("アンケート", user=USER)
    first = personal_link(bot.reply_text())
    bot.say("あんけーと", user=USER)
    again = personal_link(bot.reply_text())
    bot.say("Survey", user="U" + "c" * 32)
    other = personal_link(bot.reply_text())

    spent = {tokens.spent_key(live_survey, parse_qs(urlsplit(link).query)["t"][0]) for link in (first, again)}
    assert len(spent) == 1
    assert other != first


def test_without_an_open_survey_the_bot_says_so_and_sends_no_link(bot, survey):  # noqa: F811
    closed = survey(
        quarter=2,
        opens_at=timezone.now() - timezone.timedelta(days=30),
        closes_at=timezone.now() - timezone.timedelta(days=1),
    )
    closed.save_revision().publish()
    draft = survey(title="【サンプル】下書き", quarter=3, live=False)
    assert not draft.live

    bot.say("アンケート", user=USER)

    assert "no survey" in bot.reply_text().lower() or "ありません" in bot.reply_text()
    assert not LINK.findall(bot.reply_text())


def test_an_english_follower_gets_the_reply_in_english_with_the_japanese_survey(bot, live_survey):  # noqa: F811
    bot.say("survey", language="en", user=USER)

    text = bot.reply_text()
    assert "Answer the survey" in text
    assert live_survey.url.strip("/") in personal_link(text)


def test_a_follower_who_has_left_gets_no_link(live_survey):
    follower = LineFollower.objects.create(line_user_id=USER, followed_at=timezone.now())
    assert invitations.for_line_user(USER, "ja") is not None  # while they follow
    follower.status = SubscriberStatus.INACTIVE
    follower.save()

    assert invitations.for_line_user(USER, "ja") is None
    assert invitations.for_line_user(None, "ja") is None


# The handbook app's endpoint.


@pytest.fixture
def app(client, settings):
    settings.APP_API_KEY = KEY
    cache.clear()

    def send(payload=None, *, key=KEY, method="post", raw=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        if method == "get":
            return client.get(URL, **headers)
        data = raw if raw is not None else json.dumps(payload)
        return client.post(URL, data=data, content_type="application/json", **headers)

    yield send
    cache.clear()


@pytest.fixture
def device(db):
    return AppDevice.objects.create(token=TOKEN, platform="ios", language="ja")


def test_a_registered_device_gets_its_own_link_and_nothing_is_written(app, device, live_survey):
    def rows():
        return AppDevice.objects.count(), UsedInvitation.objects.count(), SurveyResponse.objects.count()

    before = rows()

    response = app({"token": TOKEN})

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == live_survey.title
    assert TOKEN not in response.content.decode()
    token = parse_qs(urlsplit(body["url"]).query)["t"][0]
    assert tokens.check(token, live_survey) == f"appdevice:{device.pk}"
    assert body["closes_at"] == live_survey.closes_at.isoformat()
    assert rows() == before


@pytest.mark.parametrize(
    ("payload", "raw", "status", "field"),
    [
        ({"token": "short"}, None, 400, "token"),
        ({"token": TOKEN, "platform": "ios"}, None, 400, "platform"),
        ({"token": 12345678901234567890123}, None, 400, "token"),
        ({}, None, 400, "token"),
        (None, "not json", 400, None),
        (None, "[]", 400, None),
    ],
)
def test_bad_requests_get_a_clear_error(app, device, live_survey, payload, raw, status, field):
    response = app(payload, raw=raw)

    assert response.status_code == status
    assert response.json()["error"]
    if field:
        assert field in response.json()["fields"]


def test_the_app_key_is_required_and_only_post_is_allowed(app, device, live_survey):
    assert app({"token": TOKEN}, key=None).status_code == 401
    assert app({"token": TOKEN}, key="wrong-key-0123456789").status_code == 401
    wrong_method = app({"token": TOKEN}, method="get")
    assert wrong_method.status_code == 405 and wrong_method["Allow"] == "POST"


def test_an_unknown_or_departed_device_or_no_open_survey_gets_404(app, device, survey):
    no_survey = app({"token": TOKEN})
    assert no_survey.status_code == 404
    live = survey(**open_now())
    live.save_revision().publish()
    assert app({"token": TOKEN}).status_code == 200
    unknown = app({"token": TOKEN + "x"})
    assert unknown.status_code == 404 and unknown.json()["error"] != no_survey.json()["error"]
    device.status = SubscriberStatus.INACTIVE
    device.save()
    departed = app({"token": TOKEN})
    # A departed device is told what a device with no open survey is told, not "unknown device".
    assert departed.status_code == 404 and departed.json()["error"] == no_survey.json()["error"]
