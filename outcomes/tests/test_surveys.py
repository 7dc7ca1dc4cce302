"""Surveys: one answer per invitation, anonymous answers, and an announcement through the pipeline."""

import datetime
import json

import pytest
import time_machine

from django.utils import timezone

from notifications import tasks
from notifications.models import LineFollower, Notification, NotificationStatus
from outcomes import services, tokens
from outcomes.factories import TOKYO
from outcomes.models import SurveyResponse, UsedInvitation

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
DURING = datetime.datetime(2026, 5, 10, 9, tzinfo=TOKYO)


@pytest.fixture
def live_survey(survey):
    page = survey()
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def public_survey(survey):
    """A round that also takes answers from its public link (no invitation)."""
    page = survey(requires_invitation=False)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def follower(db):
    return LineFollower.objects.create(line_user_id="U" + "a" * 32, followed_at=timezone.now())


def answers(page, token=None, **extra):
    fields = list(page.form_fields.order_by("sort_order"))
    data = {fields[0].clean_name: "5", fields[1].clean_name: "4", fields[2].clean_name: "はい", **extra}
    if token:
        data["t"] = token
    return data


def post(client, page, data, **meta):
    meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "LINE/14.0", **meta}
    with time_machine.travel(DURING):
        return client.post(page.url, data, **meta)


def test_an_invitation_answered_twice_stores_one_answer(client, live_survey, follower):
    token = tokens.invitation_token(live_survey, follower)

    first = post(client, live_survey, answers(live_survey, token))
    second = post(client, live_survey, answers(live_survey, token))

    assert first.status_code == 200 and first.context["form_submission"] is not None
    assert second.context["already_answered"]
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().tokened
    assert UsedInvitation.objects.count() == 1


def test_the_invitation_link_refuses_a_second_answer_before_the_form(client, live_survey, follower):
    token = tokens.invitation_token(live_survey, follower)
    post(client, live_survey, answers(live_survey, token))
    with time_machine.travel(DURING):
        response = client.get(live_survey.url, {"t": token})
    assert response.context["already_answered"] and "form" not in response.context


def test_each_family_has_its_own_invitation(client, live_survey, follower):
    other = LineFollower.objects.create(line_user_id="U" + "b" * 32)
    post(client, live_survey, answers(live_survey, tokens.invitation_token(live_survey, follower)))
    post(client, live_survey, answers(live_survey, tokens.invitation_token(live_survey, other)))
    assert SurveyResponse.objects.filter(tokened=True).count() == 2


def test_a_forged_or_foreign_invitation_is_refused_and_nothing_is_stored(
    client, live_survey, survey, follower
):
    other_round = survey(quarter=2)
    foreign = tokens.invitation_token(other_round, follower)
    for token in (foreign, foreign[:-2] + "xx"):
        response = post(client, live_survey, answers(live_survey, token))
        assert response.status_code == 400
    assert not SurveyResponse.objects.exists() and not UsedInvitation.objects.exists()


def test_an_answer_without_an_invitation_is_accepted_and_marked_where_the_round_allows(client, public_survey):
    post(client, public_survey, answers(public_survey))
    post(client, public_survey, answers(public_survey))
    assert list(SurveyResponse.objects.values_list("tokened", flat=True)) == [False, False]


def test_a_round_requiring_an_invitation_refuses_an_answer_without_one(client, live_survey, follower):
    assert live_survey.requires_invitation  # the default for a new round
    refused = post(client, live_survey, answers(live_survey))
    assert refused.status_code == 403 and refused.context["invitation_required"]
    with time_machine.travel(DURING):
        shown = client.get(live_survey.url)
    assert shown.context["invitation_required"] and "form" not in shown.context
    assert not SurveyResponse.objects.exists()

    post(client, live_survey, answers(live_survey, tokens.invitation_token(live_survey, follower)))
    assert SurveyResponse.objects.get().tokened


def test_answers_without_an_invitation_are_rate_limited_per_client(client, public_survey, settings):
    from outcomes.views import UNTOKENED_LIMIT

    statuses = [post(client, public_survey, answers(public_survey)).status_code for _ in range(30)]
    assert statuses == [200] * UNTOKENED_LIMIT + [429] * (30 - UNTOKENED_LIMIT)
    assert SurveyResponse.objects.count() == UNTOKENED_LIMIT
    post(client, public_survey, answers(public_survey), REMOTE_ADDR="198.51.100.9")  # another client
    assert SurveyResponse.objects.count() == UNTOKENED_LIMIT + 1


def test_the_rate_limit_reads_the_client_behind_the_proxy_like_the_sign_in_throttle(
    client, public_survey, settings
):
    from outcomes.views import UNTOKENED_LIMIT

    settings.OYAKO_TRUSTED_PROXY_COUNT = 1
    for _ in range(UNTOKENED_LIMIT + 2):
        # A forged left-hand entry changes nothing: the proxy's own entry names the client.
        forged = f"10.0.0.{_}, 192.0.2.50"
        post(
            client, public_survey, answers(public_survey), REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=forged
        )
    assert SurveyResponse.objects.count() == UNTOKENED_LIMIT
    post(
        client,
        public_survey,
        answers(public_survey),
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="192.0.2.51",
    )
    assert SurveyResponse.objects.count() == UNTOKENED_LIMIT + 1


def test_an_invitation_is_never_rate_limited(client, public_survey):
    from outcomes.views import UNTOKENED_LIMIT

    for n in range(UNTOKENED_LIMIT + 2):
        follower = LineFollower.objects.create(line_user_id="U" + f"{n:x}" * 32)
        response = post(
            client, public_survey, answers(public_survey, tokens.invitation_token(public_survey, follower))
        )
        assert response.status_code == 200
    assert SurveyResponse.objects.filter(tokened=True).count() == UNTOKENED_LIMIT + 2


def test_a_response_stores_no_identifier(client, live_survey, follower):
    token = tokens.invitation_token(live_survey, follower)
    post(client, live_survey, answers(live_survey, token))

    response = SurveyResponse.objects.get()
    stored = json.dumps(
        [{f.name: str(getattr(response, f.attname)) for f in SurveyResponse._meta.concrete_fields}],
        ensure_ascii=False,
    )
    for identifier in (follower.line_user_id, token, "203.0.113.7", "LINE/14.0"):
        assert identifier not in stored
    fields = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert fields == {"id", "page", "form_data", "submit_time", "tokened", "is_sample"}
    assert set(response.answers()) == {f.clean_name for f in live_survey.form_fields.all()}
    spent = UsedInvitation.objects.get()
    assert token not in spent.token_hash and follower.line_user_id not in spent.token_hash
    assert {f.name for f in UsedInvitation._meta.concrete_fields} == {"token_hash", "survey"}


def test_a_closed_survey_takes_no_answer(client, live_survey):
    with time_machine.travel(datetime.datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO)):
        response = client.post(live_survey.url, answers(live_survey))
    assert response.context["closed"]
    assert not SurveyResponse.objects.exists()


def test_a_rating_question_shows_its_labelled_ends(client, public_survey):
    with time_machine.travel(DURING):
        page = client.get(public_survey.url).content.decode()
    assert "1 = とても不満" in page and "5 = とても満足" in page


def test_an_announced_survey_reaches_the_fake_line_server(live_survey, follower, line_server, monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args: None)

    notification = services.announce(live_survey)
    assert services.announce(live_survey).pk == notification.pk  # once per survey
    tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert line_server.errors == []
    assert line_server.delivered == {follower.line_user_id: 1}
    assert notification.status == NotificationStatus.SENT
    assert notification.first_accepted_at is not None
    assert Notification.objects.filter(source=f"survey:{live_survey.pk}").count() == 1


def test_a_crisis_written_in_a_survey_answer_gets_the_crisis_reply_first(client, live_survey, follower):
    from bs4 import BeautifulSoup

    comment = live_survey.form_fields.get(field_type="multiline").clean_name
    token = tokens.invitation_token(live_survey, follower)

    response = post(
        client, live_survey, answers(live_survey, token, **{comment: "毎日つらくて、もう消えたい"})
    )

    html = BeautifulSoup(response.content, "html.parser")
    panel = html.select_one("main section.crisis-reply")
    assert panel is not None and panel.select_one("a[href='tel:119']") is not None
    assert html.select_one("main h1").find_next("section") is panel  # right under the title


def test_an_ordinary_survey_answer_gets_no_crisis_reply(client, live_survey, follower):
    comment = live_survey.form_fields.get(field_type="multiline").clean_name
    token = tokens.invitation_token(live_survey, follower)

    response = post(client, live_survey, answers(live_survey, token, **{comment: "通知が役に立ちました"}))

    assert response.status_code == 200 and "crisis-reply" not in response.content.decode()


def test_an_answer_refused_as_one_too_many_still_gets_the_crisis_reply(client, public_survey):
    comment = public_survey.form_fields.get(field_type="multiline").clean_name
    for _ in range(3):
        post(client, public_survey, answers(public_survey))

    response = post(client, public_survey, answers(public_survey, **{comment: "もう消えたい"}))

    assert response.status_code == 429
    assert "crisis-reply" in response.content.decode() and 'href="tel:119"' in response.content.decode()


def test_every_survey_control_has_a_name_a_screen_reader_reads(client, public_survey):
    """Ratings are a group named by its legend; a text box is named by its own label (axe: label)."""
    from bs4 import BeautifulSoup

    with time_machine.travel(DURING):
        html = BeautifulSoup(client.get(public_survey.url).content, "html.parser")
    form = html.select_one("main form")
    for control in form.select("textarea, input[type=text]"):
        label = form.select_one(f"label[for='{control['id']}']")
        assert label is not None and label.get_text(strip=True), control["id"]
    for group in form.select("[role=radiogroup]"):
        legend = form.select_one(f"#{group['aria-labelledby']}")
        assert legend is not None and legend.name == "legend"
        # The five points sit together, apart from the end labels, so they wrap as one row.
        assert len(group.select(".rating__points input[type=radio]")) == 5
