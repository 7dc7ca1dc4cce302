"""The bot's words are medical content: an answer or a crisis reply reaches a parent only in a version a
qualified reviewer approved in the Medical review workflow, never its author; a change waits for
approval, a rejected one never replaces the approved words. Through the signed webhook and fake LINE."""

import pytest

from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry

from guidance.factories import QuestionAnswerFactory, review, submit
from guidance.models import CrisisReply, Route, WordsApproval
from guidance.review import UnapprovedWordsError, refusal_message, words_for_parent

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

APPROVED_TEXT = "【サンプル承認文】ひとりで抱えこまないでください。"


def night_answer(**fields):
    return QuestionAnswerFactory(
        question="夜の相談窓口",
        phrasings="夜に相談できるところ",
        answer="【サンプル】承認された回答です。",
        **fields,
    )


def change(obj, author, **fields):
    """An edit by ``author``: the row saved (as an import or a shell would) and a new revision."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    obj.save_revision(user=author)
    return obj


# Answers ----------------------------------------------------------------------------------------


def test_an_answer_no_physician_approved_is_never_sent(bot):
    night_answer()  # saved and active, as editors' answers used to go out

    bot.say("夜に相談できるところはありますか")

    assert "承認された回答" not in bot.reply_text()
    assert bot.server.replies and "相談窓口" in bot.reply_text()  # the kind fallback


def test_an_approved_answer_is_sent(bot, approved):
    approved(night_answer())

    bot.say("夜に相談できるところはありますか")

    assert bot.reply_text() == "【サンプル】承認された回答です。"


def test_a_changed_answer_is_not_sent_until_approved_again(bot, approved, editor, physician):
    entry = approved(night_answer())
    change(entry, editor, answer="【サンプル】未承認の書き換え：解熱剤を2錠のませてください。")

    bot.say("夜に相談できるところはありますか")
    assert bot.reply_text() == "【サンプル】承認された回答です。"

    submitted = submit(entry, editor)
    bot.say("夜に相談できるところはありますか")
    assert bot.reply_text() == "【サンプル】承認された回答です。"

    submitted.task.specific.on_action(submitted, physician.user, "approve")
    bot.say("夜に相談できるところはありますか")
    assert bot.reply_text() == "【サンプル】未承認の書き換え：解熱剤を2錠のませてください。"


def test_publishing_an_unapproved_answer_is_refused_even_for_a_superuser(bot, approved, administrator):
    entry = approved(night_answer())
    change(entry, administrator, answer="【サンプル】未承認の書き換え")

    with pytest.raises(UnapprovedWordsError):
        entry.get_latest_revision().publish(user=administrator)

    bot.say("夜に相談できるところはありますか")
    assert bot.reply_text() == "【サンプル】承認された回答です。"


def test_a_withdrawn_answer_is_not_sent(bot, approved, administrator):
    entry = approved(night_answer())
    entry.unpublish(user=administrator)

    bot.say("夜に相談できるところはありますか")

    assert "承認された回答" not in bot.reply_text()


def test_an_answer_approved_only_in_japanese_gives_english_followers_the_japanese_words(
    bot, approved, english, english_reviewer
):
    entry = approved(night_answer())
    translation = entry.copy_for_translation(english)
    translation.answer = "[Sample] Unreviewed English: give two fever tablets."
    translation.phrasings = "Where can I talk at night"
    translation.save()  # copied live, with the Japanese live revision: neither vouches for it

    bot.say("Where can I talk at night?", language="en")
    assert bot.reply_text() == "【サンプル】承認された回答です。"

    translation.live_revision = None
    translation.save()
    approved(translation, reviewer=english_reviewer.user)
    bot.say("Where can I talk at night?", language="en")
    assert bot.reply_text() == "[Sample] Unreviewed English: give two fever tablets."


def test_a_reviewer_registered_for_another_language_cannot_approve_an_answer(
    approved, english, english_reviewer, other_physician
):
    entry = approved(night_answer())
    translation = entry.copy_for_translation(english)
    translation.live, translation.live_revision = False, None
    translation.save()
    task_state = submit(translation, english_reviewer.user)  # ... nor their own words

    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, other_physician.user, "approve")
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, english_reviewer.user, "approve")
    assert words_for_parent(translation) is None


def test_a_fever_question_gets_the_answer_then_the_approved_articles_in_the_followers_language(
    bot, approved, make_article, english, english_reviewer
):
    from articles.factories import publish_approved

    fever = make_article(
        title="【サンプル】赤ちゃんが発熱したときの見かた", summary="【サンプル】赤ちゃんの発熱"
    )
    english_fever = fever.copy_for_translation(english, copy_parents=True)
    english_fever.title = "[Sample] When your baby has a fever"
    publish_approved(english_fever)
    unapproved = make_article(
        title="【サンプル】赤ちゃんの発熱と解熱剤", summary="【サンプル】発熱", publish=False
    )
    approved(
        QuestionAnswerFactory(
            question="夜中に子どもが熱を出した",
            phrasings="夜に赤ちゃんが発熱した\n夜間に子どもの具合が悪い",
            answer="【サンプル】迷うときは #8000 に相談できます。",
        )
    )

    bot.say("夜に赤ちゃんが発熱した", language="en")

    answer, articles = bot.last_reply()
    assert answer["type"] == "text" and answer["text"] == "【サンプル】迷うときは #8000 に相談できます。"
    assert articles["type"] == "template" and articles["template"]["type"] == "carousel"
    titles = [column["title"] for column in articles["template"]["columns"]]
    assert titles == ["[Sample] When your baby has a fever"]
    assert unapproved.title not in titles
    from guidance.models import BotReply

    assert BotReply.objects.get().route == Route.ANSWER


# The crisis reply -------------------------------------------------------------------------------


def edit_url(obj):
    return reverse(f"wagtailsnippets_guidance_{obj._meta.model_name}:edit", args=[obj.pk])


def test_a_crisis_reply_an_administrator_edits_and_publishes_is_not_sent(
    bot, client, administrator, approved_crisis_reply
):
    client.force_login(administrator)
    response = client.post(
        edit_url(approved_crisis_reply),
        {"language": "ja", "text": "【サンプル】管理者が書き換えた文", "action-publish": "action-publish"},
    )

    assert response.status_code == 302 and response["Location"] == edit_url(approved_crisis_reply)
    refusal = [str(m) for m in get_messages(response.wsgi_request)]
    reply = CrisisReply.objects.get(language="ja")
    with translation.override("ja"):  # the admin's language
        assert str(refusal_message(reply)) in refusal
    assert reply.latest_revision.content["text"] == "【サンプル】管理者が書き換えた文"  # kept as a draft
    assert reply.live_revision_id == approved_crisis_reply.live_revision_id
    bot.say("もう、しにたい")
    assert bot.reply_text().startswith(APPROVED_TEXT)
    assert "管理者が書き換えた" not in bot.reply_text()


def test_a_crisis_reply_never_approved_sends_the_numbers_alone(bot, administrator):
    reply = CrisisReply.objects.get(language="ja")
    change(reply, administrator, text="【サンプル】未承認の文")
    reply.live = True
    reply.live_revision = reply.latest_revision  # live by a road that skipped the gate
    reply.save()

    bot.say("消えてしまいたい")

    assert "未承認の文" not in bot.reply_text()
    assert bot.reply_text().startswith("危険なとき、もう限界だと感じるときは")


def test_only_a_physicians_approval_in_the_admin_changes_the_crisis_text_and_it_is_audited(
    bot, client, administrator, physician, approved_crisis_reply
):
    reply = change(approved_crisis_reply, administrator, text="【サンプル】新しい承認文")
    task_state = submit(reply, administrator)
    bot.say("もう、しにたい")
    assert bot.reply_text().startswith(APPROVED_TEXT)

    client.force_login(physician.user)
    assert client.get(edit_url(reply)).status_code == 200
    response = client.post(
        reverse(
            "wagtailsnippets_guidance_crisisreply:workflow_action", args=[reply.pk, "approve", task_state.pk]
        ),
        {"comment": ""},
    )
    assert response.status_code == 302

    bot.say("もう、しにたい")
    assert bot.reply_text().startswith("【サンプル】新しい承認文")
    entry = ModelLogEntry.objects.get(action="oyako.approve", revision=task_state.revision)
    assert entry.user == physician.user and entry.object_id == str(reply.pk)
    approval = WordsApproval.objects.get(revision=task_state.revision)
    assert (approval.physician, approval.approved_by) == (physician, physician.user)


def test_a_rejected_crisis_reply_change_keeps_the_approved_text(
    bot, administrator, physician, approved_crisis_reply
):
    change(approved_crisis_reply, administrator, text="【サンプル】却下される文")
    task_state = review(
        approved_crisis_reply, administrator, physician.user, action="reject", comment="【サンプル】直して"
    )

    bot.say("もう、しにたい")

    assert bot.reply_text().startswith(APPROVED_TEXT)
    assert ModelLogEntry.objects.filter(action="oyako.reject", revision=task_state.revision).exists()
    assert not WordsApproval.objects.filter(revision=task_state.revision).exists()


def test_a_physician_cannot_approve_their_own_edit_of_the_crisis_reply(
    bot, physician, other_physician, approved_crisis_reply
):
    change(approved_crisis_reply, physician.user, text="【サンプル】医師が自分で書いた文")
    task_state = submit(approved_crisis_reply, physician.user)
    task = task_state.task.specific

    assert "approve" not in {
        name for name, _label, _form in task.get_actions(approved_crisis_reply, physician.user)
    }
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, physician.user, "approve")
    bot.say("もう、しにたい")
    assert bot.reply_text().startswith(APPROVED_TEXT)

    task.on_action(task_state, other_physician.user, "approve")
    bot.say("もう、しにたい")
    assert bot.reply_text().startswith("【サンプル】医師が自分で書いた文")


def test_a_superuser_or_a_medical_translator_cannot_approve_a_crisis_reply(
    administrator, english, english_reviewer, approved_crisis_reply
):
    english_reply = CrisisReply.objects.get(language="en")
    for reply, user in ((approved_crisis_reply, administrator), (english_reply, english_reviewer.user)):
        task_state = submit(reply, None)
        with pytest.raises(PermissionDenied):
            task_state.task.specific.on_action(task_state, user, "approve")
        assert not WordsApproval.objects.filter(revision=task_state.revision).exists()


def test_the_migration_leaves_every_existing_answer_and_crisis_reply_waiting_for_review():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("guidance.migrations.0004_reviewed_bot_words")
    QuestionAnswerFactory(live=True)
    CrisisReply.objects.update(live=True)

    migration.everything_waits_for_review(apps, None)

    assert not CrisisReply.objects.filter(live=True).exists()
    from guidance.models import QuestionAnswer

    assert not QuestionAnswer.objects.filter(live=True).exists()


def test_an_editor_submits_an_answer_in_the_admin_and_it_reaches_parents_once_the_physician_approves(
    bot, client, editor, physician
):
    from guidance.models import QuestionAnswer

    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_guidance_questionanswer:add") + "?locale=ja",
        {
            "question": "夜の相談窓口",
            "phrasings": "夜に相談できるところ",
            "answer": "【サンプル】管理画面で書いた回答です。",
            "active": "on",
            "action-submit": "action-submit",
        },
    )
    assert response.status_code == 302
    entry = QuestionAnswer.objects.get()
    task_state = entry.current_workflow_task_state
    assert not entry.live and task_state is not None
    bot.say("夜に相談できるところはありますか")
    assert "管理画面で書いた回答" not in bot.reply_text()

    client.force_login(physician.user)
    response = client.post(
        reverse(
            "wagtailsnippets_guidance_questionanswer:workflow_action",
            args=[entry.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code == 302

    bot.say("夜に相談できるところはありますか")
    assert bot.reply_text() == "【サンプル】管理画面で書いた回答です。"
    assert ModelLogEntry.objects.filter(
        action="oyako.approve", user=physician.user, object_id=str(entry.pk)
    ).exists()
