"""Pushes in each family's language: an approved, up-to-date translation where one exists,
otherwise the language's fallback chain; the push log counts families per language."""

import pytest

from wagtail.models import Locale

from articles.factories import approve_revision
from notifications import services, tasks
from notifications.models import Batch
from notifications.models.outbox import families_by_language

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda args, countdown: None)
    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args: None)


@pytest.fixture
def article(new_article, publish):
    page = new_article(title="【サンプル】熱が出たとき", notify_subscribers=False)
    publish(page)
    return page


@pytest.fixture
def translate(publish):
    """``translate(page, code, title, approved=True)``: a translation, approved and live or a draft."""

    def make(page, code, title, approved=True):
        locale = Locale.objects.get_or_create(language_code=code)[0]
        translated = page.copy_for_translation(locale, copy_parents=True)
        translated.title = title
        translated.summary = f"{title} (summary)"
        translated.save()
        revision = translated.save_revision()
        if approved:
            approve_revision(revision)
            revision.publish()
        translated.refresh_from_db()
        return translated

    return make


def texts_by_user(line_server):
    """The title each LINE user received, from the multicasts the fake server accepted."""
    received = {}
    for _method, path, _headers, body in line_server.requests:
        if path == "/v2/bot/message/multicast":
            title = body["messages"][0]["altText"].split("\n")[0]
            for user in body["to"]:
                received[user] = title
    return received


def push(article):
    notification = services.issue(
        source="test:languages", page=article, title=article.title, text=article.summary
    )
    tasks.send_notification(notification.pk)
    return notification


def test_each_family_gets_its_own_language_or_the_first_on_its_fallback_chain(
    article, translate, followers, line_server, settings
):
    settings.LANGUAGE_FALLBACKS = {"vi": ["ja-x-easy", "ja"], "tl": ["en", "ja"], "ko": ["ja"]}
    translate(article, "ja-x-easy", "【サンプル】ねつが でたとき")
    translate(article, "en", "[Sample] When your child has a fever")
    groups = {code: followers(2, language=code) for code in ["ja", "ja-x-easy", "en", "vi", "tl", "ko"]}

    notification = push(article)

    received = texts_by_user(line_server)
    expected = {
        "ja": "【サンプル】熱が出たとき",
        "ja-x-easy": "【サンプル】ねつが でたとき",
        "en": "[Sample] When your child has a fever",
        "vi": "【サンプル】ねつが でたとき",
        "tl": "[Sample] When your child has a fever",
        "ko": "【サンプル】熱が出たとき",
    }
    for code, members in groups.items():
        assert {received[member.line_user_id] for member in members} == {expected[code]}, code
    sent_in = dict(
        Batch.objects.filter(notification=notification).values_list("language", "content_language")
    )
    assert sent_in == {
        "ja": "ja",
        "ja-x-easy": "ja-x-easy",
        "en": "en",
        "vi": "ja-x-easy",
        "tl": "en",
        "ko": "ja",
    }
    counts = {
        (row["language"], row["content_language"]): row["families"]
        for row in families_by_language(notification)
    }
    assert counts[("vi", "ja-x-easy")] == 2
    assert sum(counts.values()) == 12


def test_an_unapproved_translation_is_never_pushed(article, translate, followers, line_server):
    translate(article, "en", "[Sample] Draft, not approved", approved=False)
    [follower] = followers(1, language="en")

    push(article)

    assert texts_by_user(line_server)[follower.line_user_id] == "【サンプル】熱が出たとき"


def test_an_out_of_date_translation_is_never_pushed(article, translate, followers, line_server, publish):
    translate(article, "en", "[Sample] Approved for the old original")
    article.title = "【サンプル】熱が出たとき（改訂）"
    article.save_revision()
    publish(article)
    [follower] = followers(1, language="en")

    push(article)

    assert texts_by_user(line_server)[follower.line_user_id] == "【サンプル】熱が出たとき（改訂）"


def test_a_pushs_own_words_and_the_pages_go_out_in_one_language_along_the_chain(
    article, translate, followers, line_server, settings
):
    """The push's own text exists in やさしい日本語 only: an English family, whose article is
    translated into English too, gets the whole message in its chain's next language instead of
    an English title over a text in another language."""
    settings.LANGUAGE_FALLBACKS = {"en": ["ja-x-easy", "ja"], "vi": ["ja-x-easy", "ja"]}
    translate(article, "ja-x-easy", "【サンプル】ねつが でたとき")
    translate(article, "en", "[Sample] When your child has a fever")
    groups = {code: followers(1, language=code)[0] for code in ["ja", "en", "vi"]}
    notification = services.issue(
        source="test:own-words",
        page=article,
        title=article.title,
        text="【サンプル】今夜は小児科の電話相談があります。",
        texts={"ja-x-easy": "【サンプル】こんやは こどもの でんわ そうだんが あります。"},
        words_page=article,
    )

    tasks.send_notification(notification.pk)

    alt_texts = line_server.multicast_alt_texts()
    easy = "【サンプル】ねつが でたとき\n【サンプル】こんやは こどもの でんわ そうだんが あります。"
    assert alt_texts[groups["en"].line_user_id] == easy
    assert alt_texts[groups["vi"].line_user_id] == easy
    assert (
        alt_texts[groups["ja"].line_user_id]
        == f"{article.title}\n【サンプル】今夜は小児科の電話相談があります。"
    )
    sent_in = dict(
        Batch.objects.filter(notification=notification).values_list("language", "content_language")
    )
    assert sent_in == {"ja": "ja", "en": "ja-x-easy", "vi": "ja-x-easy"}
