"""The bot end to end: a signed webhook body (checked against webhook.yml) in, the reply out through
line-bot-sdk to the fake LINE (checked against messaging-api.yml)."""

import datetime
import logging
import time

import pytest

from django.utils import timezone

from guidance import tasks
from guidance.backends.base import Answer, BaseAnswerBackend, Text
from guidance.factories import ConsultationServiceFactory, QuestionAnswerFactory
from guidance.models import BotReply, Route, UnansweredQuestion
from notifications.tests import line_bodies as lb

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

SECRET_QUESTION = "【サンプル】個人的な相談 090-1234-5678 sample@example.jp"


def test_a_crisis_message_gets_the_approved_crisis_reply_before_anything_else(bot, approved_crisis_reply):
    QuestionAnswerFactory(question="死にたいほど疲れたときの相談先", phrasings="死にたい")

    bot.say("もう、しにたい")

    text = bot.reply_text()
    assert text.startswith("【サンプル承認文】")
    for number in ("119", "#8000", "0120-279-338", "0570-783-556", "189"):
        assert number in text
    assert BotReply.objects.get().route == Route.CRISIS
    assert not UnansweredQuestion.objects.exists()


def test_without_an_approved_text_the_crisis_reply_is_the_numbers_alone(bot):
    bot.say("消えてしまいたい")

    text = bot.reply_text()
    assert "【サンプル承認文】" not in text and "ひとりで抱えこまず" not in text
    assert text.startswith("危険なとき、もう限界だと感じるときは")
    assert "0120-279-338" in text


def test_a_question_asked_another_way_gets_the_editors_answer_with_its_links(bot, make_article, approved):
    service = ConsultationServiceFactory(
        name="【サンプル】助産師オンライン相談", line_url="https://line.me/R/ti/p/@sample"
    )
    article = make_article(title="【サンプル】母乳の悩み")
    approved(
        QuestionAnswerFactory(
            question="助産師に相談したい",
            phrasings="母乳のことを助産師さんに聞きたい\n授乳の相談はどこでできますか",
            answer="【サンプル】助産師オンライン相談で、母乳や授乳の相談ができます。",
            service=service,
            article=article,
        )
    )

    bot.say("授乳について相談できるところはどこですか？")

    text = bot.reply_text()
    assert text.startswith("【サンプル】助産師オンライン相談で")
    assert "https://line.me/R/ti/p/@sample" in text
    assert article.get_full_url() in text
    assert BotReply.objects.get().route == Route.ANSWER


def test_an_answer_never_links_an_article_that_is_not_approved(bot, make_article, approved):
    from articles.models import ArticlePage

    draft = make_article(title="【サンプル】未承認の記事", publish=False)
    ArticlePage.objects.filter(pk=draft.pk).update(live=True)  # live by a road that skipped the gate
    approved(
        QuestionAnswerFactory(
            question="予防接種の予約",
            phrasings="予防接種はどこで予約する",
            answer="【サンプル】回答",
            article=draft,
        )
    )

    bot.say("予防接種はどこで予約するの")

    assert bot.reply_text() == "【サンプル】回答"


def test_articles_come_as_a_carousel_of_the_best_three_approved_ones(bot, make_article):
    from articles.models import ArticlePage

    for n in range(4):
        make_article(title=f"【サンプル】離乳食の進め方 その{n}", summary=f"【サンプル】離乳食{n}")
    make_article(title="【サンプル】予防接種の受け方", summary="【サンプル】予防接種")
    hidden = make_article(title="【サンプル】離乳食の未承認記事", summary="【サンプル】離乳食", publish=False)
    ArticlePage.objects.filter(pk=hidden.pk).update(live=True)

    bot.say("離乳食の進め方を知りたい")

    (message,) = bot.last_reply()
    assert message["type"] == "template" and message["template"]["type"] == "carousel"
    titles = [column["title"] for column in message["template"]["columns"]]
    assert len(titles) == 3 and all("離乳食の進め方" in title for title in titles)
    assert BotReply.objects.get().route == Route.ARTICLES


def test_the_bot_finds_articles_as_site_search_does(bot, make_article):
    """The bot asks the site's search: the editors' synonyms count (予防注射 finds 予防接種), the best
    match comes first, and an article behind a login is never offered."""
    from wagtail.models import PageViewRestriction

    vaccine = make_article(title="【サンプル】予防接種のスケジュール", summary="【サンプル】予防接種の受け方")
    make_article(title="【サンプル】離乳食の進め方", summary="【サンプル】離乳食")
    private = make_article(
        title="【サンプル】予防接種のスケジュール（職員用）", summary="【サンプル】予防接種"
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    bot.say("予防注射のスケジュールを知りたい")

    (message,) = bot.last_reply()
    assert [column["title"] for column in message["template"]["columns"]] == [vaccine.title]
    assert BotReply.objects.get().route == Route.ARTICLES


def test_nothing_found_gets_the_kind_fallback_and_the_question_is_kept_masked(bot):
    bot.say(SECRET_QUESTION)

    assert "相談窓口" in bot.reply_text() and "/help/" in bot.reply_text()
    kept = UnansweredQuestion.objects.get()
    assert "090" not in kept.text and "5678" not in kept.text and "example.jp" not in kept.text
    assert "[phone]" in kept.text and "[email]" in kept.text
    assert BotReply.objects.get().route == Route.FALLBACK


def test_the_settings_command_offers_the_stage_and_language_choices(bot):
    bot.say("設定")

    (message,) = bot.last_reply()
    assert message["quickReply"]["items"]
    # The families app's settings menu (its children, language, invitations) answers 設定.
    assert BotReply.objects.get().route == Route.SIGNUP


def english_translation(entry, english, **fields):
    """A draft English translation of ``entry`` with ``fields``, as the editor makes it."""
    translation = entry.copy_for_translation(english)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.live, translation.live_revision = False, None
    translation.save()
    return translation


def test_english_follower_gets_the_english_translation_and_japanese_where_none_exists(
    bot, english, approved, english_reviewer
):
    translated = approved(
        QuestionAnswerFactory(
            question="夜の相談窓口",
            phrasings="夜に相談できるところ",
            answer="【サンプル】夜間の相談窓口です。",
        )
    )
    english_entry = english_translation(
        translated,
        english,
        question="Night consultation",
        phrasings="Where can I talk at night",
        answer="[Sample] The night consultation line.",
    )
    approved(english_entry, reviewer=english_reviewer.user)
    approved(
        QuestionAnswerFactory(
            question="母子手帳",
            phrasings="母子手帳はどこでもらえる",
            answer="【サンプル】母子手帳は市役所で。",
        )
    )

    bot.say("夜に相談できるところはありますか", language="en")
    assert bot.reply_text() == "[Sample] The night consultation line."
    bot.say("Where can I talk at night?", language="en")
    assert bot.reply_text() == "[Sample] The night consultation line."
    bot.say("母子手帳はどこでもらえる？", language="en")
    assert bot.reply_text() == "【サンプル】母子手帳は市役所で。"
    bot.say("zzz qqq", language="en")
    assert "consultation services" in bot.reply_text()
    assert "/en/help/" in bot.reply_text()


def test_a_redelivered_message_is_answered_once(bot):
    event = bot.say("こんにちは")
    redelivery = {**event, "deliveryContext": {"isRedelivery": True}}
    bot.say("", event=redelivery)

    assert len(bot.server.replies) == 1
    assert BotReply.objects.count() == 1


def test_an_expired_reply_token_is_not_retried(bot):
    user = lb.user_id()
    event = lb.text_message(user, "こんにちは", timestamp=int(time.time() * 1000))
    bot.server.expired_tokens.add(event["replyToken"])

    bot.say("", user=user, event=event)

    replies = [r for r in bot.server.requests if r[1] == "/v2/bot/message/reply"]
    assert len(replies) == 1
    assert not BotReply.objects.exists() and not UnansweredQuestion.objects.exists()


def test_a_token_past_its_life_is_not_even_tried(bot):
    bot.say("こんにちは", timestamp=int((time.time() - 120) * 1000))

    assert not [r for r in bot.server.requests if r[1] == "/v2/bot/message/reply"]


def test_line_5xx_is_retried_with_the_same_token_until_accepted(bot):
    bot.server.fail_next_reply(500, 503)

    bot.say("こんにちは")

    attempts = [r for r in bot.server.requests if r[1] == "/v2/bot/message/reply"]
    assert len(attempts) == 3
    assert len({body["replyToken"] for _m, _p, _h, body in attempts}) == 1
    assert len(bot.server.replies) == 1
    assert BotReply.objects.count() == 1


def test_line_5xx_without_end_gives_up_after_the_last_retry(bot):
    bot.server.fail_next_reply(*[500] * 10)

    bot.say("こんにちは")

    attempts = [r for r in bot.server.requests if r[1] == "/v2/bot/message/reply"]
    assert len(attempts) == tasks.MAX_RETRIES + 1
    assert not BotReply.objects.exists()


def test_backoff_never_reaches_past_the_reply_tokens_life():
    assert all(tasks._backoff(retries, 3.0) <= 3.0 for retries in range(10))


def test_what_a_parent_writes_is_never_logged(bot, caplog, approved_crisis_reply):
    caplog.set_level(logging.DEBUG)
    bot.say(SECRET_QUESTION)
    bot.say("【サンプル】もう死にたい")
    bot.server.fail_next_reply(500)
    bot.say("【サンプル】二度目の相談")

    assert "個人的な相談" not in caplog.text and "090-1234" not in caplog.text
    assert "死にたい" not in caplog.text and "二度目" not in caplog.text
    # What Celery logs and shows to monitors of a queued task names the event only.
    assert len(bot.options) == 3
    for options in bot.options:
        assert options["argsrepr"].startswith("(event ") and "サンプル" not in options["argsrepr"]


class EchoBackend(BaseAnswerBackend):
    def answer(self, text, language):
        return Answer(Route.ANSWER, [Text("【サンプル】別の回答エンジン")], language)


def test_the_answering_backend_is_a_setting_and_the_crisis_route_stays_first(bot, settings):
    settings.GUIDANCE_ANSWER_BACKEND = {"BACKEND": f"{__name__}.EchoBackend"}

    bot.say("離乳食について")
    assert bot.reply_text() == "【サンプル】別の回答エンジン"
    bot.say("死にたい")
    assert "0120-279-338" in bot.reply_text()


def test_the_recording_backend_keeps_replies_in_development(settings):
    from guidance.backends.reply import RecordingReplyBackend

    settings.GUIDANCE_REPLY_BACKEND = {"BACKEND": "guidance.backends.reply.RecordingReplyBackend"}
    RecordingReplyBackend.replies.clear()
    tasks.answer_message.apply(("U" + "1" * 32, "token-1", "こんにちは", "event-1", int(time.time() * 1000)))

    assert RecordingReplyBackend.replies[-1]["route"] == Route.FALLBACK


def test_unanswered_questions_are_purged_after_30_days():
    old = UnansweredQuestion.objects.create(text="【サンプル】古い質問", language="ja")
    UnansweredQuestion.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=31)
    )
    UnansweredQuestion.objects.create(text="【サンプル】新しい質問", language="ja")

    assert tasks.purge_unanswered_questions() == 1
    assert list(UnansweredQuestion.objects.values_list("text", flat=True)) == ["【サンプル】新しい質問"]


def test_the_bot_task_runs_on_the_webhook_queue():
    assert tasks.answer_message.queue == "webhook"


def _english_copy(page, english, title, approved=True):
    from articles.factories import publish_approved
    from articles.models import ArticlePage

    translation = page.copy_for_translation(english, copy_parents=True)
    translation.title = title
    if approved:
        publish_approved(translation)
    else:
        translation.save_revision()
        ArticlePage.objects.filter(pk=translation.pk).update(live=True)  # live without an approval
    return ArticlePage.objects.get(pk=translation.pk)


def test_an_english_follower_gets_the_approved_english_article_and_japanese_where_none_is_approved(
    bot, make_article, english
):
    translated = make_article(title="【サンプル】離乳食の進め方", summary="【サンプル】離乳食")
    english_page = _english_copy(translated, english, "[Sample] Starting solid food")
    unapproved = make_article(title="【サンプル】離乳食の進め方とかたさ", summary="【サンプル】離乳食")
    _english_copy(unapproved, english, "[Sample] Unapproved translation", approved=False)

    bot.say("離乳食の進め方", language="en")

    (message,) = bot.last_reply()
    titles = [column["title"] for column in message["template"]["columns"]]
    assert "[Sample] Starting solid food" in titles
    assert "【サンプル】離乳食の進め方とかたさ" in titles
    assert "[Sample] Unapproved translation" not in titles
    assert english_page.get_full_url() in [c["defaultAction"]["uri"] for c in message["template"]["columns"]]
