"""The self-check on LINE, through the signed webhook and the fake LINE server (its requests are
validated against LINE's OpenAPI specs)."""

import datetime

import pytest
import time_machine

from guidance.models import BotReply, Route
from notifications.tests import line_bodies as lb
from screening.models import CheckRecord, CheckSession, KeptResult, Outcome

from .helpers import choose, data_of, quick_replies, run_check

pytestmark = pytest.mark.django_db


def item_text(bot):
    return bot.last_reply()[-1]["text"]


def test_the_check_begins_with_what_it_is_and_asks_consent_before_any_answer(bot, ready):
    user = lb.user_id()
    bot.say("こころのチェック", user=user)
    intro, _consent = bot.last_reply()
    assert "診断するものではありません" in intro["text"]
    assert "いつでも「やめる」でやめられます" in intro["text"]
    assert {fields.get("c") for _label, fields in quick_replies(bot)} == {"keep", "none", "no"}
    session = CheckSession.objects.get()
    assert session.step == 0 and session.answers == [] and session.keep is None
    choose(bot, user, c="keep")
    assert "物事に興味がわかない" in item_text(bot)
    labels = [label for label, _fields in quick_replies(bot)]
    assert labels[:4] == ["まったくない", "数日", "半分以上", "ほとんど毎日"]
    assert all(len(label) <= 20 for label in labels)


@pytest.mark.parametrize(
    ("answers", "expected", "absent"),
    [
        (
            [0, 1, 0, 1, 0, 0, 1, 0, 0],
            ["ぐっすり眠るための工夫", "ひと息つく時間のつくりかた"],
            ["下書きの記事", "オンライン相談"],
        ),
        ([1, 1, 1, 1, 1, 1, 0, 0, 0], ["オンライン相談", "受付中"], ["カウンセリング"]),
        (
            [2, 2, 1, 2, 1, 1, 1, 1, 0],
            ["産後こころのカウンセリング", "0120-000-111", "受付中"],
            ["オンライン相談"],
        ),
        ([3, 3, 3, 2, 2, 2, 2, 2, 0], ["産後こころのカウンセリング", "0120-000-111"], ["オンライン相談"]),
    ],
    ids=["band-1-reading", "band-2-consultation", "band-3-counselling", "band-4-counselling"],
)
def test_every_band_routes_to_its_service(bot, ready, monday_morning, answers, expected, absent):
    from screening.flow import band_for

    user = lb.user_id()
    run_check(bot, user, answers)
    reply = bot.reply_text() + " ".join(
        link for message in bot.last_reply() for link in [message.get("text", "")]
    )
    for text in expected:
        assert text in reply
    for text in absent:
        assert text not in reply
    # The band's approved closing words, and never a label such as "depression".
    level = band_for(sum(answers)).level
    assert ready.closing(level)[:20] in reply
    for label in ("うつ", "抑うつ", "depress", "重症", "中等度"):
        assert label not in reply
    record = CheckRecord.objects.get()
    assert record.outcome == Outcome.FINISHED and record.level == level
    assert not CheckSession.objects.exists()  # the answers went with the session
    assert not KeptResult.objects.exists()  # no consent to keep: nothing is kept


def test_a_closed_counselling_service_says_when_it_next_opens(bot, ready):
    user = lb.user_id()
    saturday = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    with time_machine.travel(saturday, tick=True):
        run_check(bot, user, [3, 3, 3, 2, 2, 2, 2, 2, 0])
    reply = bot.reply_text()
    assert "受付時間外 · 12/7 (月) 09:00から" in reply


@pytest.mark.parametrize(
    ("before", "item9"),
    [([0] * 8, 1), ([3] * 8, 2), ([1, 2, 3, 0, 1, 2, 3, 0], 3)],
    ids=["low", "high", "mixed"],
)
def test_item_9_stops_the_check_with_the_crisis_reply_at_once(bot, ready, monday_morning, before, item9):
    user = lb.user_id()
    run_check(bot, user, [*before, item9], keep="keep")
    reply = bot.reply_text()
    assert "サンプル承認文" in reply  # the approved crisis reply
    assert "産後こころのカウンセリング" in reply and "0120-000-111" in reply and "受付中" in reply
    assert BotReply.objects.order_by("-pk").first().route == Route.CRISIS
    assert CheckRecord.objects.get().outcome == Outcome.ITEM_9
    assert not CheckSession.objects.exists()
    assert not KeptResult.objects.exists()  # no score is kept for a stopped check


def test_a_crisis_message_during_the_check_stops_it_and_gets_the_crisis_reply(bot, ready):
    user = lb.user_id()
    run_check(bot, user, [1, 1])
    stale = data_of(bot, a=0)
    bot.say("もう死にたい", user=user)
    assert "サンプル承認文" in bot.reply_text()
    assert not CheckSession.objects.exists()
    assert CheckRecord.objects.get().outcome == Outcome.CRISIS
    bot.tap(stale, user=user)
    assert BotReply.objects.order_by("-pk").first().route == Route.MENU  # calm, nothing changed


def test_back_changes_the_previous_answer(bot, ready):
    user = lb.user_id()
    run_check(bot, user, [3, 3])
    assert "疲れている" not in item_text(bot) and "寝つけない" in item_text(bot)
    choose(bot, user, b=1)
    assert "気分が落ちこむ" in item_text(bot)
    assert CheckSession.objects.get().answers == [3]
    choose(bot, user, a=0)
    for answer in [0] * 7:
        choose(bot, user, a=answer)
    assert CheckRecord.objects.get().level == 1  # 3 in all: the changed answer counted, not the old one


def test_an_unapproved_revision_of_the_instrument_is_never_asked(bot, ready, editor):
    ready.item_1 = "【未承認の改訂】この文は承認されていません"
    ready.save_revision(user=editor)  # a new draft, awaiting review
    user = lb.user_id()
    bot.say("こころのチェック", user=user)
    choose(bot, user, c="none")
    assert "物事に興味がわかない" in item_text(bot)
    assert "未承認" not in bot.reply_text()


def test_without_any_approved_instrument_no_check_is_offered_and_it_says_whom_to_call(
    bot, bands, approved_crisis_reply, editor
):
    from screening.factories import instrument

    draft = instrument("ja")
    draft.save_revision(user=editor)
    bot.say("こころのチェック", user=lb.user_id())
    reply = bot.reply_text()
    assert "物事に興味" not in reply and "診断" not in reply
    assert "産後こころのカウンセリング" in reply
    assert not CheckSession.objects.exists()


def test_a_check_whose_words_lose_their_approval_stops(bot, ready, approved, editor):
    user = lb.user_id()
    run_check(bot, user, [1])
    ready.item_2 = "【改訂】承認された新しい文"
    approved(ready)  # a new revision goes live: the session's revision is no longer the live one
    choose(bot, user, a=1)
    assert "新しい文" not in bot.reply_text()
    assert not CheckSession.objects.exists()
    assert CheckRecord.objects.get().outcome == Outcome.WITHDRAWN


def test_a_family_reading_english_gets_the_approved_japanese_with_a_note(bot, ready, english):
    user = lb.user_id()
    bot.say("self-check", user=user, language="en")
    intro = bot.last_reply()[0]["text"]
    assert "Japanese" in intro or "日本語" in intro
    assert "診断するものではありません" in intro


def test_a_stale_postback_from_an_expired_check_is_answered_calmly(bot, ready):
    user = lb.user_id()
    start = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        run_check(bot, user, [2, 2])
        stale = data_of(bot, a=1)
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        bot.tap(stale, user=user)
        assert BotReply.objects.order_by("-pk").first().route == Route.MENU
        assert len(bot.last_reply()) == 1 and bot.last_reply()[0]["type"] == "text"
    assert not CheckSession.objects.exists()
    assert CheckRecord.objects.get().outcome == Outcome.EXPIRED


def test_the_sweeper_ends_checks_left_half_way(bot, ready):
    from screening import tasks

    user = lb.user_id()
    run_check(bot, user, [1, 2, 3])
    CheckSession.objects.update(updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert tasks.expire_checks() == 1
    assert not CheckSession.objects.exists()
    assert CheckRecord.objects.get().outcome == Outcome.EXPIRED


def test_the_same_event_twice_advances_the_check_once(bot, ready):
    from guidance import answering

    user = lb.user_id()
    run_check(bot, user, [])
    data = data_of(bot, a=2)
    fields = dict(pair.split("=") for pair in data.split("&"))
    first = answering.answer_postback(fields, {}, "ja", line_user_id=user, webhook_event_id="01EVENT")
    again = answering.answer_postback(fields, {}, "ja", line_user_id=user, webhook_event_id="01EVENT")
    assert CheckSession.objects.get().answers == [2]
    assert first.messages == again.messages


def test_a_kept_result_is_deleted_when_consent_is_withdrawn(bot, ready):
    user = lb.user_id()
    run_check(bot, user, [2, 2, 1, 2, 1, 1, 1, 1, 0], keep="keep")
    kept = KeptResult.objects.get()
    assert (kept.total, kept.level) == (11, 3)
    assert kept.checked_on == datetime.date.today() or kept.checked_on
    choose(bot, user, w=kept.token)
    assert not KeptResult.objects.exists()
    # Written instead of tapped, it does the same.
    run_check(bot, user, [0] * 9, keep="keep")
    assert KeptResult.objects.count() == 1
    bot.say("チェックの記録を消す", user=user)
    assert not KeptResult.objects.exists()


def test_another_familys_button_cannot_delete_a_kept_result(bot, ready):
    user = lb.user_id()
    run_check(bot, user, [0] * 9, keep="keep")
    token = KeptResult.objects.get().token
    bot.tap(f"f=screening&w={token}", user=lb.user_id())
    assert KeptResult.objects.count() == 1


def test_no_row_holds_a_line_user_id(bot, ready):
    from django.apps import apps
    from django.db import connection

    user = lb.user_id()
    run_check(bot, user, [2, 2, 2, 2, 2, 2, 2, 2, 0], keep="keep")
    run_check(bot, user, [1], keep="none")  # one left open, too
    assert CheckSession.objects.exists() and KeptResult.objects.exists()
    for model in apps.get_app_config("screening").get_models():
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
            for row in cursor.fetchall():
                assert not any(user in str(value) for value in row), table
