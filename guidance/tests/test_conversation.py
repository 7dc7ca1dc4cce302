"""The router that decides who owns a follower's message: crisis first, then features in order,
then the bot; feature postbacks reach only their own feature, through the signed webhook."""

import pytest

from wagtail import hooks

from guidance import conversation
from guidance.backends.base import Answer, QuickReply, Text
from guidance.models import BotReply, Route

pytestmark = pytest.mark.django_db


class Recorder(conversation.ConversationHandler):
    """A feature for the tests: owns texts starting with its keyword and its own postbacks."""

    def __init__(self, name, order, keyword, log):
        self.name, self.order, self.keyword, self.log = name, order, keyword, log

    def handle(self, incoming):
        if incoming.postback:
            self.log.append((self.name, "postback", dict(incoming.postback), dict(incoming.params)))
            return Answer(Route.SCREENING, [Text(f"{self.name} tapped")], incoming.language)
        if incoming.text and incoming.text.startswith(self.keyword):
            self.log.append((self.name, "text", incoming.text, incoming.webhook_event_id))
            if incoming.text.endswith("silently"):
                return Answer(Route.CONSULTATION, [], incoming.language)
            choices = (QuickReply("はい", data=conversation.postback_data(self.name, a=1)),)
            return Answer(
                Route.SCREENING, [Text(f"{self.name} owns it", quick_replies=choices)], incoming.language
            )
        return None

    def on_crisis(self, incoming):
        self.log.append((self.name, "crisis"))


@pytest.fixture
def features(monkeypatch):
    # The test's features alone: those installed apps register (consultations' "consult") step aside.
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, conversation.HOOK, [])
    log = []
    first = Recorder("first", 10, "相談", log)
    second = Recorder("second", 20, "相", log)
    with (
        hooks.register_temporarily(conversation.HOOK, lambda: second),
        hooks.register_temporarily(conversation.HOOK, lambda: first),
    ):
        yield log


def test_the_first_feature_in_order_owns_a_message(bot, features):
    bot.say("相談したい")
    assert features[0][:3] == ("first", "text", "相談したい")
    assert features[0][3]  # the event's ID, for the feature's idempotence
    assert "first owns it" in bot.reply_text()
    quick = bot.last_reply()[0]["quickReply"]["items"][0]["action"]
    assert quick == {"type": "postback", "label": "はい", "data": "f=first&a=1", "displayText": "はい"}
    # The next feature is asked when the first does not own the message.
    bot.say("相手")
    assert features[-1][:3] == ("second", "text", "相手")


def test_a_message_nobody_owns_goes_to_the_bot(bot, features):
    bot.say("おむつかぶれ")
    assert features == []
    assert BotReply.objects.get().route in {Route.ARTICLES, Route.FALLBACK, Route.ANSWER}


def test_the_crisis_check_runs_before_any_feature_and_tells_them(bot, features, approved_crisis_reply):
    bot.say("相談したい、もう死にたい")
    assert ("first", "crisis") in features and ("second", "crisis") in features
    assert not any(entry[1] == "text" for entry in features)
    assert "サンプル承認文" in bot.reply_text()
    assert BotReply.objects.get().route == Route.CRISIS


def test_a_feature_that_fails_on_crisis_never_stops_the_crisis_reply(bot, approved_crisis_reply, caplog):
    class Broken(conversation.ConversationHandler):
        name = "broken"

        def on_crisis(self, incoming):
            raise RuntimeError(f"could not store {incoming.text}")

    with hooks.register_temporarily(conversation.HOOK, Broken):
        bot.say("死にたい")
    assert "サンプル承認文" in bot.reply_text()
    assert "死にたい" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_a_feature_postback_reaches_only_its_feature(bot, features):
    bot.tap("f=second&a=2", params={"date": "2026-12-24"})
    assert features == [("second", "postback", {"f": "second", "a": "2"}, {"date": "2026-12-24"})]
    assert "second tapped" in bot.reply_text()


def test_a_stale_feature_postback_is_answered_calmly(bot, features):
    from notifications.models import LineFollower

    bot.tap("f=gone&s=3", user="U" + "1" * 32)
    assert features == []
    assert bot.last_reply()[0]["type"] == "text"
    assert BotReply.objects.get().route == Route.MENU
    # Nothing about the follower changed.
    follower = LineFollower.objects.get(line_user_id="U" + "1" * 32)
    assert follower.life_stage in ("", None)


def test_an_answer_without_messages_is_recorded_and_not_sent(bot, features):
    before = len(bot.server.replies)
    bot.say("相談 silently")
    assert len(bot.server.replies) == before
    assert BotReply.objects.get().route == Route.CONSULTATION


def test_settings_postbacks_without_a_feature_still_change_the_stage(bot, features):
    from notifications.models import LineFollower

    user = "U" + "2" * 32
    bot.tap("stage=pregnancy_mid", user=user)
    assert features == []
    assert LineFollower.objects.get(line_user_id=user).life_stage == "pregnancy_mid"


def test_postback_data_and_its_reading_agree():
    data = conversation.postback_data("screening", s=12, a=3)
    assert conversation.feature_postback(data) == {"f": "screening", "s": "12", "a": "3"}
    assert conversation.feature_postback("stage=baby") is None
    assert conversation.feature_postback("&".join(f"k{i}=1" for i in range(40)) + "&f=x") is None
