import datetime

import pytest

from articles.enums import LifeStage
from notifications import events, kpi, tasks
from notifications.models import LineFollower, SubscriberStatus, WebhookEvent
from notifications.tests import line_bodies as lb
from tests.fakes.line_server import FakeLineServer

pytestmark = pytest.mark.portable

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def queued(monkeypatch):
    """The follow-up tasks an event queues, recorded instead of sent to a broker."""
    calls = []
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: calls.append(("profile", pk)))
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: calls.append(("greeting", pk)))
    monkeypatch.setattr(
        tasks.send_choice_confirmation, "delay", lambda pk, token: calls.append(("confirmation", pk))
    )
    monkeypatch.setattr(
        tasks.send_language_menu, "delay", lambda pk, token: calls.append(("language_menu", pk))
    )
    return calls


@pytest.fixture
def apply(django_capture_on_commit_callbacks):
    """Run the webhook task on events, as the worker does, and run what it queues on commit."""

    def run(*event_list):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.handle_line_events(list(event_list))

    return run


@pytest.mark.django_db
def test_follow_creates_an_active_follower_and_queues_profile_and_greeting_after_commit(
    queued, django_capture_on_commit_callbacks
):
    user = lb.user_id()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.handle_event(lb.follow(user))
    assert queued == []
    for callback in callbacks:
        callback()

    follower = LineFollower.objects.get(line_user_id=user)
    assert follower.status == SubscriberStatus.ACTIVE
    assert not follower.stage_chosen
    assert queued == [("profile", follower.pk), ("greeting", follower.pk)]
    assert kpi.registrants() == 1


@pytest.mark.django_db
def test_redelivered_follow_changes_nothing_twice(queued, apply):
    user = lb.user_id()
    first = lb.follow(user)
    again = {**first, "deliveryContext": {"isRedelivery": True}}

    apply(first)
    apply(again)

    assert LineFollower.objects.count() == 1
    assert queued.count(("greeting", LineFollower.objects.get().pk)) == 1
    assert WebhookEvent.objects.filter(webhook_event_id=first["webhookEventId"]).count() == 1


@pytest.mark.django_db
def test_task_run_twice_on_the_same_body_applies_each_event_once(queued, apply):
    user = lb.user_id()
    body = [lb.follow(user), lb.postback(user, "lang=en", timestamp=lb.T0 + 1000)]

    apply(*body)
    follower = LineFollower.objects.get()
    follower.language = "ja"  # a later change the replay must not undo
    follower.save()
    apply(*body)

    assert LineFollower.objects.get().language == "ja"
    assert sorted(kind for kind, _pk in queued) == ["confirmation", "greeting", "profile"]


@pytest.mark.django_db
def test_unfollow_deactivates_and_deletes_the_line_user_id_and_stage(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user), lb.postback(user, "born=1", {"date": "2026-08-03"}, timestamp=lb.T0 + 1000))

    apply(lb.unfollow(user, timestamp=lb.T0 + 2000))

    follower = LineFollower.objects.get()
    assert follower.line_user_id is None
    assert follower.status == SubscriberStatus.INACTIVE
    assert follower.unfollowed_at is not None
    assert (follower.birth_month, follower.due_month, follower.stage_chosen) == (None, None, False)
    assert kpi.registrants() == 0
    assert not LineFollower.objects.audience().exists()


@pytest.mark.django_db
def test_follow_after_unfollow_makes_an_active_registrant_again(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user), lb.unfollow(user, timestamp=lb.T0 + 1000))

    apply(lb.follow(user, timestamp=lb.T0 + 2000))

    assert LineFollower.objects.audience().get().line_user_id == user
    assert kpi.registrants() == 1


@pytest.mark.django_db
def test_unfollow_older_than_the_latest_follow_is_ignored(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user, timestamp=lb.T0 + 5000))

    apply(lb.unfollow(user, timestamp=lb.T0 + 1000))

    assert LineFollower.objects.get().status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_unfollow_of_an_unknown_user_stores_nothing(queued, apply):
    apply(lb.unfollow(lb.user_id()))

    assert not LineFollower.objects.exists()


@pytest.mark.django_db
def test_postback_sets_life_stage_and_language(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user))

    apply(lb.postback(user, "stage=age_1_3"), lb.postback(user, "lang=en"))

    follower = LineFollower.objects.get()
    assert follower.current_life_stage() == LifeStage.AGE_1_3
    assert follower.stage_chosen
    assert (follower.language, follower.language_chosen) == ("en", True)


@pytest.mark.django_db
def test_postback_from_a_follower_whose_follow_was_lost_creates_the_follower(queued, apply):
    user = lb.user_id()

    apply(lb.postback(user, "stage=postpartum"))

    assert LineFollower.objects.audience([LifeStage.POSTPARTUM]).get().line_user_id == user


@pytest.mark.parametrize(
    ("data", "params", "expected"),
    [
        ("stage=age_0_1", None, {"life_stage": "age_0_1"}),
        ("lang=en", None, {"language": "en"}),
        ("stage=age_0_1&lang=ja", None, {"life_stage": "age_0_1", "language": "ja"}),
        ("due=1", {"date": "2027-04-20"}, {"due_month": datetime.date(2027, 4, 1)}),
        ("born=1", {"date": "2025-01-31"}, {"birth_month": datetime.date(2025, 1, 1)}),
        ("stage=teenager", None, {}),
        ("lang=fr", None, {}),
        ("due=1", {"date": "2020-01-01"}, {}),
        ("due=1", {"date": "2029-01-01"}, {}),
        ("born=1", {"date": "2027-01-01"}, {}),
        ("born=1", {"date": "not a date"}, {}),
        ("due=1", None, {}),
        ("%%%&&&=", None, {}),
        ("", None, {}),
    ],
)
def test_postback_data_is_validated_and_junk_ignored(data, params, expected):
    assert events.parse_postback(data, params, today=TODAY) == expected


@pytest.mark.django_db
def test_junk_postback_changes_nothing(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user))
    before = LineFollower.objects.values().get()

    apply(lb.postback(user, "stage=<script>&lang=xx"))

    assert LineFollower.objects.values().get() == before


@pytest.mark.django_db
def test_events_of_other_types_are_not_recorded(queued, apply):
    event = lb.unfollow(lb.user_id())
    event["type"] = "unsend"
    event["unsend"] = {"messageId": "1"}

    apply(event)

    assert not WebhookEvent.objects.exists()


class ScriptedLine(FakeLineServer):
    """The shared fake LINE, with scripted failures for the profile and reply endpoints too."""

    def handle(self, method, path, headers, raw):
        scripted_path = path.startswith(("/v2/bot/profile/", "/v2/bot/message/reply"))
        if scripted_path and (status := self.next_scripted()):
            with self.lock:
                self.requests.append((method, path, dict(headers), self.json_body(raw)))
            return self._error(status, "Scripted failure")
        return super().handle(method, path, headers, raw)


@pytest.fixture
def line_api(settings):
    with ScriptedLine() as server:
        settings.LINE_API_BASE_URL = server.base_url
        settings.LINE_CHANNEL_ACCESS_TOKEN = server.access_token
        yield server
    assert server.errors == []  # every request matched LINE's spec


def paths(server):
    return [(method, path) for method, path, _headers, _body in server.requests]


@pytest.mark.django_db
def test_profile_language_becomes_the_default_language(line_api):
    follower = LineFollower.objects.create(line_user_id=lb.user_id())
    line_api.profiles[follower.line_user_id] = "en"

    tasks.fetch_line_profile(follower.pk)

    follower.refresh_from_db()
    assert follower.language == "en"
    assert follower.profile_fetched_at is not None
    assert paths(line_api) == [("GET", f"/v2/bot/profile/{follower.line_user_id}")]


@pytest.mark.django_db
def test_profile_never_overrides_a_language_the_follower_chose(line_api):
    follower = LineFollower.objects.create(line_user_id=lb.user_id(), language="ja", language_chosen=True)
    line_api.profiles[follower.line_user_id] = "en"

    tasks.fetch_line_profile(follower.pk)

    follower.refresh_from_db()
    assert follower.language == "ja"


@pytest.mark.django_db
def test_profile_language_we_do_not_offer_keeps_japanese(line_api):
    follower = LineFollower.objects.create(line_user_id=lb.user_id())
    line_api.profiles[follower.line_user_id] = "zh-Hant"

    tasks.fetch_line_profile(follower.pk)

    follower.refresh_from_db()
    assert follower.language == "ja"
    assert follower.profile_fetched_at is not None


@pytest.mark.django_db
def test_profile_not_found_is_final_and_not_retried(line_api):
    follower = LineFollower.objects.create(line_user_id=lb.user_id())  # unknown to LINE: 404

    tasks.fetch_line_profile(follower.pk)

    follower.refresh_from_db()
    assert follower.language == "ja"
    assert len(line_api.requests) == 1


@pytest.mark.django_db
def test_profile_server_error_is_retried(line_api, monkeypatch):
    line_api.fail_next(500)
    follower = LineFollower.objects.create(line_user_id=lb.user_id())
    retried = []

    def retry(**kwargs):
        retried.append(kwargs)
        raise RuntimeError("retry requested")

    monkeypatch.setattr(tasks.fetch_line_profile, "retry", retry)

    with pytest.raises(RuntimeError, match="retry requested"):
        tasks.fetch_line_profile(follower.pk)
    assert retried[0]["exc"].status == 500
    assert retried[0]["countdown"] >= 0


@pytest.mark.django_db
def test_no_profile_request_for_a_follower_who_has_left(line_api):
    follower = LineFollower.objects.create(line_user_id=None, status=SubscriberStatus.INACTIVE)

    tasks.fetch_line_profile(follower.pk)

    assert line_api.requests == []


@pytest.mark.django_db
def test_greeting_is_a_spec_valid_reply_that_starts_the_sign_up_conversation(line_api):
    from guidance.conversation import feature_postback

    follower = LineFollower.objects.create(line_user_id=lb.user_id())

    tasks.send_follow_greeting(follower.pk, "reply-token-1")

    [(method, path, _headers, body)] = line_api.requests
    assert (method, path) == ("POST", "/v2/bot/message/reply")
    assert body["replyToken"] == "reply-token-1"
    actions = [item["action"] for item in body["messages"][0]["quickReply"]["items"]]
    # The families app's first question (expecting, with children, later); every button is one of
    # its postbacks, which the guidance router hands to it.
    datas = {action["data"] for action in actions}
    assert {"f=signup&a=kind&k=due", "f=signup&a=kind&k=born", "f=signup&a=skip&s=kind"} <= datas
    assert all(feature_postback(data)["f"] == "signup" for data in datas)
    assert len(actions) <= 13
    assert all(len(action["label"]) <= 20 for action in actions)


@pytest.mark.django_db
def test_expired_reply_token_is_not_retried(line_api):
    line_api.fail_next(400)
    follower = LineFollower.objects.create(line_user_id=lb.user_id())

    tasks.send_follow_greeting(follower.pk, "expired")

    assert len(line_api.requests) == 1


@pytest.mark.django_db
def test_a_failure_while_applying_an_event_leaves_it_to_be_applied_on_retry(queued, apply, monkeypatch):
    user = lb.user_id()
    event = lb.postback(user, "stage=age_1_3")

    def broken(event, at):
        raise RuntimeError("database went away")

    monkeypatch.setattr(events, "_postback", broken)
    with pytest.raises(RuntimeError):
        events.handle_event(event)
    monkeypatch.undo()
    assert not WebhookEvent.objects.exists()

    assert events.handle_event(event) is True
    assert LineFollower.objects.get().life_stage == LifeStage.AGE_1_3


@pytest.mark.django_db
def test_old_webhook_event_records_are_purged(queued, apply):
    apply(lb.follow(lb.user_id()))
    WebhookEvent.objects.update(received_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    apply(lb.follow(lb.user_id()))

    assert tasks.purge_webhook_events(days=30) == 1
    assert WebhookEvent.objects.count() == 1


@pytest.mark.django_db
def test_without_an_access_token_nothing_is_requested_from_line(line_api, settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    follower = LineFollower.objects.create(line_user_id=lb.user_id())

    tasks.fetch_line_profile(follower.pk)
    tasks.send_follow_greeting(follower.pk, "reply-token")

    assert line_api.requests == []
    follower.refresh_from_db()
    assert follower.profile_fetched_at is None


@pytest.mark.django_db
def test_an_understood_postback_is_confirmed_and_junk_is_not(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user))
    pk = LineFollower.objects.get().pk

    apply(lb.postback(user, "stage=age_1_3"), lb.postback(user, "stage=nonsense"))

    assert queued.count(("confirmation", pk)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (LifeStage.AGE_1_3, "Toddler, 1 to 3 years"),
        (None, "every article until you choose"),
    ],
)
def test_confirmation_names_the_stage_now_received(line_api, stage, expected):
    follower = LineFollower(line_user_id=lb.user_id(), language="en")
    follower.set_life_stage(life_stage=stage)
    follower.save()

    tasks.send_choice_confirmation(follower.pk, "reply-token-2")

    [(_method, path, _headers, body)] = line_api.requests
    assert path == "/v2/bot/message/reply"
    assert expected in body["messages"][0]["text"]


def test_greeting_and_confirmation_are_japanese_for_japanese_followers():
    follower = LineFollower(line_user_id="U1", language="ja")
    follower.set_life_stage(life_stage=LifeStage.AGE_0_1)

    greeting = tasks.follow_greeting("ja")
    confirmation = tasks.choice_confirmation(follower)

    assert "友だち追加ありがとうございます" in greeting.text
    assert {item.action.label for item in greeting.quick_reply.items} >= {"妊娠中", "子どもがいる", "あとで"}
    assert confirmation.text.startswith("保存しました")


@pytest.mark.django_db
def test_the_language_menu_offers_every_configured_language_in_its_own_name(line_api, settings):
    follower = LineFollower.objects.create(line_user_id=lb.user_id(), language="vi")

    tasks.send_language_menu(follower.pk, "reply-token-2")

    [(_method, path, _headers, body)] = line_api.requests
    assert path == "/v2/bot/message/reply"
    actions = [item["action"] for item in body["messages"][0]["quickReply"]["items"]]
    assert [action["data"] for action in actions] == [f"lang={code}" for code, _name in settings.LANGUAGES]
    assert "やさしい にほんご" in [action["label"] for action in actions]
    assert body["messages"][0]["text"] == "Hãy chọn ngôn ngữ của bạn."
    for action in actions:
        assert events.parse_postback(action["data"])["language"] == action["data"][5:]


@pytest.mark.django_db
def test_the_language_button_changes_nothing_and_queues_the_menu(queued, apply):
    user = lb.user_id()
    apply(lb.follow(user))
    queued.clear()

    apply(lb.postback(user, "menu=language"))

    follower = LineFollower.objects.get(line_user_id=user)
    assert (follower.language, follower.language_chosen) == ("ja", False)
    assert [name for name, _pk in queued] == ["language_menu"]


@pytest.mark.parametrize("code", ["ja-x-easy", "zh-hans", "vi", "tl", "ko", "pt-br", "en", "ja"])
@pytest.mark.django_db
def test_every_language_can_be_chosen_by_postback(apply, code):
    user = lb.user_id()
    apply(lb.follow(user), lb.postback(user, f"lang={code}"))

    follower = LineFollower.objects.get(line_user_id=user)
    assert (follower.language, follower.language_chosen) == (code, True)


@pytest.mark.parametrize(
    ("profile_language", "expected"),
    [
        ("ja", "ja"),
        ("en", "en"),
        ("en-US", "en"),
        ("zh-Hans", "zh-hans"),
        ("zh-CN", "zh-hans"),
        ("zh-Hant", None),
        ("ko", "ko"),
        ("vi", "vi"),
        ("tl", "tl"),
        ("fil", "tl"),
        ("pt-BR", "pt-br"),
        ("pt", "pt-br"),
        ("th", None),
    ],
)
def test_line_profile_languages_map_onto_ours(profile_language, expected):
    assert tasks._language_from_profile(profile_language) == expected
