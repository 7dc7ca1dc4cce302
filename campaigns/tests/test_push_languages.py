"""A campaign's planned push reaches each family in its language when the campaign's translation
(made with wagtail-localize) is live, approved where approval is required and up to date; in
Japanese otherwise. Sent for real to the fake LINE server."""

import pytest

from articles.factories import MedicalReviewerFactory, localize, publish_approved
from campaigns.services import dispatch_due_pushes, translated_words
from notifications import tasks
from notifications.models import Batch, LineFollower, Notification

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

TEXT = "【サンプル】今夜は家族で早寝の日です。"
ENGLISH_TEXT = "[Sample] Tonight is early-to-bed night for the whole family."
EASY_TEXT = "【サンプル】こんやは かぞくで はやく ねる ひです。"
DUE = tokyo(2027, 5, 4, 19)


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *args, **kwargs: None)
    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args: None)


@pytest.fixture
def families(db):
    """One LINE follower per language code asked for: ``families("ja", "en")`` → {code: user id}."""

    def make(*codes):
        rows = LineFollower.objects.bulk_create(
            [LineFollower(line_user_id=f"U{index:032x}", language=code) for index, code in enumerate(codes)]
        )
        return {row.language: row.line_user_id for row in rows}

    return make


@pytest.fixture
def campaign(make_campaign):
    return make_campaign(title="【サンプル】こどもまんなか月間", pushes=[{"send_at": DUE, "text": TEXT}])


def translate(campaign, code, title, text):
    """A live translation of ``campaign`` with its push text translated, approved by a medical
    translator registered for ``code``."""
    translated = localize(campaign, code, {campaign.title: title, TEXT: text})
    publish_approved(translated, reviewer=MedicalReviewerFactory(languages=[code]))
    return translated


def send_due_push():
    [dispatch] = dispatch_due_pushes(now=DUE)
    tasks.send_notification(dispatch.notification_id)
    return Notification.objects.get(pk=dispatch.notification_id)


def received(line_server):
    """What each LINE user got: ``{user id: "title\\ntext"}`` (the message's alt text)."""
    return line_server.multicast_alt_texts()


def sent_in(notification):
    return dict(Batch.objects.filter(notification=notification).values_list("language", "content_language"))


def test_a_translated_push_reaches_english_families_in_english_and_japanese_families_in_japanese(
    campaign, families, line_server
):
    translate(campaign, "en", "[Sample] Children-First Month", ENGLISH_TEXT)
    users = families("ja", "en")

    notification = send_due_push()

    got = received(line_server)
    assert got[users["en"]] == f"[Sample] Children-First Month\n{ENGLISH_TEXT}"
    assert got[users["ja"]] == f"{campaign.title}\n{TEXT}"
    assert notification.texts == {"en": ENGLISH_TEXT}
    assert sent_in(notification) == {"ja": "ja", "en": "en"}
    assert line_server.errors == []


def test_a_push_linking_a_featured_article_speaks_the_campaigns_translation(
    make_campaign, make_article, families, line_server
):
    article = make_article(title="【サンプル】よく眠るために")  # not translated
    campaign = make_campaign(
        title="【サンプル】こどもまんなか月間",
        featured=[article],
        pushes=[{"send_at": DUE, "text": TEXT, "target_article": article}],
    )
    translate(campaign, "en", "[Sample] Children-First Month", ENGLISH_TEXT)
    users = families("en")

    notification = send_due_push()

    assert received(line_server)[users["en"]] == f"[Sample] Children-First Month\n{ENGLISH_TEXT}"
    assert notification.titles == {"en": "[Sample] Children-First Month"}
    assert sent_in(notification) == {"en": "en"}


def test_an_unpublished_translation_is_never_sent(campaign, families, line_server):
    localize(campaign, "en", {campaign.title: "[Sample] Draft", TEXT: "[Sample] Draft text"})
    users = families("en")

    notification = send_due_push()

    assert received(line_server)[users["en"]] == f"{campaign.title}\n{TEXT}"
    assert notification.texts == {}
    assert sent_in(notification) == {"en": "ja"}


def test_a_translators_unapproved_change_to_a_live_translation_is_never_sent(campaign, families, line_server):
    translate(campaign, "en", "[Sample] Children-First Month", ENGLISH_TEXT)
    # A later draft: wagtail-localize writes it into the page's rows, but only the live version counts.
    localize(campaign, "en", {TEXT: "[Sample] An unreviewed draft of the text"})
    users = families("en")

    send_due_push()

    assert received(line_server)[users["en"]] == f"[Sample] Children-First Month\n{ENGLISH_TEXT}"


def test_an_out_of_date_translation_is_never_sent(campaign, families, line_server):
    translate(campaign, "en", "[Sample] Children-First Month", ENGLISH_TEXT)
    item = campaign.planned_pushes.get()
    assert translated_words(item) == ({"en": "[Sample] Children-First Month"}, {"en": ENGLISH_TEXT})
    campaign.theme = "【サンプル】改訂したテーマ"
    publish_approved(campaign)
    assert translated_words(item) == ({}, {})
    users = families("en")

    notification = send_due_push()

    assert received(line_server)[users["en"]] == f"{campaign.title}\n{TEXT}"
    assert sent_in(notification) == {"en": "ja"}


def test_a_vietnamese_family_gets_easy_japanese_along_its_fallback_chain(
    campaign, families, line_server, settings
):
    settings.LANGUAGE_FALLBACKS = {"vi": ["ja-x-easy", "ja"]}
    translate(campaign, "ja-x-easy", "【サンプル】こどもまんなか げっかん", EASY_TEXT)
    users = families("vi", "ja")

    notification = send_due_push()

    got = received(line_server)
    assert got[users["vi"]] == f"【サンプル】こどもまんなか げっかん\n{EASY_TEXT}"
    assert got[users["ja"]] == f"{campaign.title}\n{TEXT}"
    assert sent_in(notification) == {"vi": "ja-x-easy", "ja": "ja"}
