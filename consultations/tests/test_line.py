"""The family's side on LINE, through the signed webhook and the fake LINE: open, write, get an
answer, be handed over, close and rate; a crisis message; a conversation opened off hours."""

import datetime
import zoneinfo

import pytest
import time_machine

from django.core import mail

from consultations import services
from consultations.models import CloseCode, Conversation, Message, Sender, Status
from guidance.models import BotReply, OpeningPeriod, Route
from notifications.tests import line_bodies as lb

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def quick_data(reply):
    return [item["action"].get("data") for item in reply[-1]["quickReply"]["items"]]


def open_conversation(bot, user, topic="child"):
    bot.say("相談したい", user=user)
    assert f"f=consult&a=topic&t={topic}" in quick_data(bot.last_reply())
    bot.tap(f"f=consult&a=topic&t={topic}", user=user)
    return Conversation.objects.get(line_user_id=user)


def test_a_family_opens_writes_is_answered_handed_over_closes_and_rates(
    bot, medical, counselling, make_staff, outbox, django_capture_on_commit_callbacks
):
    midwife = make_staff(medical, "midwife")
    colleague = make_staff(medical, "doctor")
    counsellor = make_staff(counselling, "counsellor")
    user = lb.user_id()

    conversation = open_conversation(bot, user)
    assert conversation.service == medical and conversation.status == Status.WAITING
    assert "オンライン医療相談" in bot.reply_text() and "30" in bot.reply_text()  # who, and how soon

    bot.say("熱が38度あります", user=user)
    bot.say("咳も出ています", user=user)
    assert [m.text for m in conversation.messages.all()] == ["熱が38度あります", "咳も出ています"]
    assert BotReply.objects.filter(route=Route.CONSULTATION).count() == 4
    replies = len(bot.server.replies)
    bot.say("まだ元気です", user=user)
    assert len(bot.server.replies) == replies  # later messages go quietly to the staff

    assert services.claim(conversation.pk, midwife)
    assert not services.claim(conversation.pk, colleague)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(conversation, midwife, "水分はとれていますか？")
    assert outbox.pushes()[-1]["to"] == user and outbox.pushes()[-1]["texts"] == ["水分はとれていますか？"]
    assert outbox.rows(kind="consultation.reply").get().status == "sent"
    conversation.refresh_from_db()
    assert conversation.first_answer_at and conversation.staff_messages == 1

    services.hand_over(conversation, midwife, to_user=colleague)
    conversation.refresh_from_db()
    assert conversation.assignee == colleague and conversation.status == Status.CLAIMED
    with pytest.raises(services.ConsultationError):
        services.reply(conversation, midwife, "no longer mine")
    services.hand_over(conversation, colleague, to_service=counselling)
    conversation.refresh_from_db()
    assert conversation.service == counselling and conversation.status == Status.WAITING
    assert conversation.handovers == 2
    assert services.claim(conversation.pk, counsellor)

    with pytest.raises(services.ConsultationError):
        services.close(conversation, by="staff", user=counsellor)  # a topic code is required
    with django_capture_on_commit_callbacks(execute=True):
        services.close(
            conversation, by="staff", user=counsellor, close_code=CloseCode.objects.get(code="fever")
        )
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED
    rating_push = outbox.pushes()[-1]
    assert rating_push["to"] == user
    rate_buttons = [item["action"]["data"] for item in rating_push["messages"][0]["quickReply"]["items"]]
    assert f"f=consult&a=rate&c={conversation.pk}&r=4" in rate_buttons

    # After closing, messages go to the bot again; the rating button still counts once.
    bot.tap(f"f=consult&a=rate&c={conversation.pk}&r=4", user=user)
    bot.tap(f"f=consult&a=rate&c={conversation.pk}&r=1", user=user)
    conversation.refresh_from_db()
    assert conversation.rating == 4
    bot.say("ありがとう", user=user)
    assert Message.objects.filter(conversation=conversation, sender=Sender.FAMILY).count() == 3


def test_the_family_closes_and_rates_from_the_buttons(bot, medical, outbox):
    user = lb.user_id()
    conversation = open_conversation(bot, user)
    assert f"f=consult&a=close&c={conversation.pk}" in quick_data(bot.last_reply())
    bot.tap(f"f=consult&a=close&c={conversation.pk}", user=user)
    assert "5" in quick_data(bot.last_reply())[0]
    bot.tap(f"f=consult&a=rate&c={conversation.pk}&r=5", user=user)
    conversation.refresh_from_db()
    assert (conversation.status, conversation.closed_by, conversation.rating) == (Status.CLOSED, "family", 5)
    # Another follower's button does nothing to it.
    bot.tap(f"f=consult&a=rate&c={conversation.pk}&r=1", user=lb.user_id())
    conversation.refresh_from_db()
    assert conversation.rating == 5


def test_a_redelivered_message_is_stored_once(bot, medical):
    user = lb.user_id()
    conversation = open_conversation(bot, user)
    event = lb.text_message(user, "同じメッセージ", timestamp=int(datetime.datetime.now().timestamp() * 1000))
    bot.say(None, user=user, event=event)
    again = dict(event, deliveryContext={"isRedelivery": True})
    bot.say(None, user=user, event=again)
    assert (
        services.add_family_message(conversation, "同じメッセージ", webhook_event_id=event["webhookEventId"])[
            1
        ]
        is False
    )
    assert conversation.messages.count() == 1


def test_a_crisis_message_gets_the_crisis_reply_tops_the_queue_and_alerts_the_staff_on_duty(
    bot, medical, make_staff, outbox, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.jp"
    on_duty = make_staff(medical, "on-duty", line_user_id=lb.user_id())
    make_staff(medical, "off-duty", on_duty=False)
    earlier = open_conversation(bot, lb.user_id())
    user = lb.user_id()
    conversation = open_conversation(bot, user)
    assert [c.pk for c in services.queue(medical)] == [earlier.pk, conversation.pk]

    bot.say("もう死にたい", user=user)
    assert "119" in bot.reply_text()  # the router's crisis reply still goes out
    message = conversation.messages.get()
    assert message.crisis and message.text == "もう死にたい"
    assert [c.pk for c in services.queue(medical)] == [conversation.pk, earlier.pk]
    assert [m.to for m in mail.outbox] == [[on_duty.email]]
    assert (
        "死にたい" not in mail.outbox[0].body and f"/consultations/{conversation.pk}/" in mail.outbox[0].body
    )
    alert = outbox.pushes()[-1]
    assert alert["to"] == on_duty.consult_staff.line_user_id and "死にたい" not in alert["texts"][0]
    assert f"/consultations/{conversation.pk}/" in alert["texts"][0]


def test_a_crisis_message_with_no_open_conversation_is_not_stored(bot, medical):
    bot.say("もう死にたい")
    assert "119" in bot.reply_text()
    assert not Message.objects.exists()


@time_machine.travel(datetime.datetime(2026, 12, 5, 22, 0, tzinfo=TOKYO), tick=False)  # a Saturday night
def test_opened_off_hours_the_family_is_told_when_someone_is_on_duty_and_what_to_do_now(bot, counselling):
    counselling.all_hours = False
    counselling.save()
    OpeningPeriod.objects.create(
        service=counselling, weekday=0, opens=datetime.time(9), closes=datetime.time(17)
    )
    user = lb.user_id()
    bot.say("相談したい", user=user)
    bot.tap("f=consult&a=topic&t=feelings", user=user)
    text = bot.reply_text()
    assert "09:00" in text or "9:00" in text  # Monday morning
    assert "#8000" in text and "0120-279-338" in text  # what to do now
    bot.say("夜眠れません", user=user)
    assert Conversation.objects.get(line_user_id=user).messages.count() == 1  # kept for the staff


def test_a_topic_no_service_answers_is_declined_calmly(bot):
    user = lb.user_id()
    bot.tap("f=consult&a=topic&t=child", user=user)
    assert "ただいまご利用いただけません" in bot.reply_text() and "/help/" in bot.reply_text()
    assert not Conversation.objects.exists()


def test_messages_that_arrive_while_the_worker_is_down_are_stored_later_in_order(bot, medical, monkeypatch):
    from guidance import tasks as guidance_tasks

    user = lb.user_id()
    conversation = open_conversation(bot, user)
    held = []  # the broker keeps the queued tasks while no worker runs
    monkeypatch.setattr(
        guidance_tasks.answer_message, "apply_async", lambda args, **options: held.append(args)
    )
    for text in ("一通目", "二通目", "三通目"):
        bot.say(text, user=user)
    assert not conversation.messages.exists()
    for args in held:  # the worker is back
        guidance_tasks.answer_message.apply(args)
    assert [m.text for m in conversation.messages.all()] == ["一通目", "二通目", "三通目"]
