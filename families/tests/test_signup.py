"""The sign-up conversation through the signed webhook and the spec-checking fake LINE."""

import datetime
from urllib.parse import parse_qs

import pytest

from django.utils import timezone

from families.models import Child, Household, Member
from notifications.models import LineFollower
from notifications.models.subscribers import add_months, month_start
from notifications.tests import line_bodies as lb

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def quick_replies(messages):
    return [item["action"] for message in messages for item in message.get("quickReply", {}).get("items", [])]


def action(messages, a, **fields):
    """The button whose postback is the sign-up action ``a`` with ``fields``."""

    def matches(found):
        data = {key: values[-1] for key, values in parse_qs(found.get("data", "")).items()}
        return data.get("a") == a and all(data.get(key) == str(value) for key, value in fields.items())

    return next(found for found in quick_replies(messages) if matches(found))


def test_follow_starts_the_conversation_and_the_date_picker_saves_only_the_month(bot, follow, no_menu_tasks):
    user = lb.user_id()
    greeting = follow(user)
    expecting = action(greeting, "kind", k="due")
    assert parse_qs(expecting["data"])["f"] == ["signup"]

    bot.tap(expecting["data"], user=user)
    picker = action(bot.last_reply(), "add", k="due")
    assert picker["type"] == "datetimepicker" and picker["mode"] == "date"
    due = add_months(timezone.localdate(), 4).replace(day=17)
    bot.tap(picker["data"], params={"date": due.isoformat()}, user=user)

    follower = LineFollower.objects.get(line_user_id=user)
    [child] = Child.objects.filter(household__members__follower=follower)
    assert child.due_month == month_start(due) and child.birth_month is None
    assert follower.family_member.household == child.household
    follower.refresh_from_db()
    assert follower.stage_chosen and follower.due_month is None
    assert ("link", child.household_id) in no_menu_tasks  # the stage menu follows the answer, after commit

    # "Another child?": a two-year-old, then the language.
    bot.tap(action(bot.last_reply(), "kind", k="born")["data"], user=user)
    birthday = add_months(timezone.localdate(), -26)
    bot.tap(
        action(bot.last_reply(), "add", k="born")["data"], params={"date": birthday.isoformat()}, user=user
    )
    assert Child.objects.filter(household=child.household).count() == 2
    bot.tap(action(bot.last_reply(), "skip", s="more")["data"], user=user)
    bot.tap(action(bot.last_reply(), "lang", l="en")["data"], user=user)
    follower.refresh_from_db()
    assert follower.language == "en" and follower.language_chosen
    assert "設定" in bot.reply_text()  # the last step says where to change things, in English now
    assert not bot.server.errors


def test_every_step_can_be_skipped(bot, follow):
    user = lb.user_id()
    greeting = follow(user)
    bot.tap(action(greeting, "skip", s="kind")["data"], user=user)
    bot.tap(action(bot.last_reply(), "skip", s="lang")["data"], user=user)
    follower = LineFollower.objects.get(line_user_id=user)
    assert not Member.objects.filter(follower=follower).exists()
    assert not follower.stage_chosen  # receives everything until the family says more


def test_a_date_out_of_range_changes_nothing_and_asks_again(bot, follow):
    user = lb.user_id()
    follow(user)
    too_far = add_months(timezone.localdate(), 14)
    bot.tap("f=signup&a=add&k=due", params={"date": too_far.isoformat()}, user=user)
    assert not Child.objects.exists()
    assert action(bot.last_reply(), "add", k="due")["type"] == "datetimepicker"  # asked again


def test_a_retried_reply_adds_the_child_once(bot, follow):
    user = lb.user_id()
    follow(user)
    due = add_months(timezone.localdate(), 3)
    event = lb.postback(user, "f=signup&a=add&k=due", params={"date": due.isoformat()})
    from guidance import tasks

    follower = LineFollower.objects.get(line_user_id=user)
    fields = {"f": "signup", "a": "add", "k": "due"}
    for _attempt in range(2):  # the task run again, as after a transient reply failure
        tasks.answer_postback.apply(
            (
                user,
                event["replyToken"],
                fields,
                {"date": due.isoformat()},
                event["webhookEventId"],
                event["timestamp"],
            )
        )
    assert Child.objects.filter(household__members__follower=follower).count() == 1


def test_settings_lists_the_children_and_corrects_removes_and_records_a_birth(bot, follow):
    user = lb.user_id()
    follow(user)
    due = add_months(timezone.localdate(), 1)
    bot.tap("f=signup&a=add&k=due", params={"date": due.isoformat()}, user=user)
    bot.say("設定", user=user)
    [child] = Child.objects.all()
    bot.tap(action(bot.last_reply(), "child", c=child.pk)["data"], user=user)
    born = timezone.localdate() - datetime.timedelta(days=3)
    bot.tap(
        action(bot.last_reply(), "born", c=child.pk)["data"], params={"date": born.isoformat()}, user=user
    )
    child.refresh_from_db()
    assert child.birth_month == month_start(born) and child.due_month == month_start(due)

    bot.tap(f"f=signup&a=rmok&c={child.pk}", user=user)
    assert not Child.objects.exists()
    assert Household.objects.count() == 1  # the household stays with its member


def test_a_nickname_is_typed_after_the_button(bot, follow):
    user = lb.user_id()
    follow(user)
    bot.tap(
        "f=signup&a=add&k=born", params={"date": add_months(timezone.localdate(), -3).isoformat()}, user=user
    )
    [child] = Child.objects.all()
    bot.tap(f"f=signup&a=nick&c={child.pk}", user=user)
    bot.say("  ゆい  ", user=user)
    child.refresh_from_db()
    assert child.nickname == "ゆい"


def test_a_button_about_another_households_child_is_answered_calmly(bot, follow):
    mine, theirs = lb.user_id(), lb.user_id()
    follow(theirs)
    bot.tap("f=signup&a=add&k=born", params={"date": timezone.localdate().isoformat()}, user=theirs)
    [child] = Child.objects.all()
    follow(mine)
    bot.tap(f"f=signup&a=rmok&c={child.pk}", user=mine)
    assert Child.objects.filter(pk=child.pk).exists()
    assert not quick_replies(bot.last_reply())  # the router's calm "no longer open" reply


def test_old_due_and_born_postbacks_still_work_and_become_a_child(bot):
    user = lb.user_id()
    due = add_months(timezone.localdate(), 2)
    bot.tap("due=1", params={"date": due.isoformat()}, user=user)
    [child] = Child.objects.all()
    assert child.due_month == month_start(due)
    born = timezone.localdate()
    bot.tap("born=1", params={"date": born.isoformat()}, user=user)
    child.refresh_from_db()
    assert child.birth_month == month_start(born)
    assert Child.objects.count() == 1
    bot.tap("lang=vi", user=user)
    assert LineFollower.objects.get(line_user_id=user).language == "vi"


def test_a_crisis_message_is_answered_first_even_while_a_nickname_is_awaited(bot, follow):
    user = lb.user_id()
    follow(user)
    bot.tap("f=signup&a=add&k=born", params={"date": timezone.localdate().isoformat()}, user=user)
    [child] = Child.objects.all()
    bot.tap(f"f=signup&a=nick&c={child.pk}", user=user)
    bot.say("もう死にたい", user=user)
    child.refresh_from_db()
    assert child.nickname == ""  # what the parent wrote is never kept as a nickname
    from guidance.models import BotReply

    assert BotReply.objects.order_by("-pk").first().route == "crisis"


def test_unfollowing_forgets_the_household_of_its_only_member(
    bot, follow, client, django_capture_on_commit_callbacks
):
    import time

    user = lb.user_id()
    follow(user)
    bot.tap("f=signup&a=add&k=born", params={"date": timezone.localdate().isoformat()}, user=user)
    raw = lb.body(lb.unfollow(user, timestamp=int(time.time() * 1000) + 1000))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/line/webhook/", data=raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=lb.sign(raw)
        )
    assert not Household.objects.exists() and not Child.objects.exists()
