"""A timed message reaches each family in its language when both the series' translation (its
text, made with wagtail-localize) and the linked article's (its title) are live, approved for the
language and up to date; otherwise the whole message goes out in the next language along the
family's fallback chain that has both, in the end Japanese. Sent for real to the fake LINE server."""

import datetime

import pytest
import time_machine

from django.test import TestCase

from articles.factories import MedicalReviewerFactory, localize, publish_approved
from milestones.enums import Moment
from milestones.services import dispatch_due_messages
from notifications import tasks
from notifications.models import Batch, Notification

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

TEXT = "【サンプル】5か月ごろから離乳食をはじめる家庭が多いです。"
ENGLISH_TEXT = "[Sample] Many families start solid food at about five months."
EASY_TEXT = "【サンプル】5か月ごろから りにゅうしょくを はじめる いえが おおいです。"


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *args, **kwargs: None)


@pytest.fixture
def article(make_article):
    from articles.models import ArticleApproval

    page = make_article(title="【サンプル】離乳食のはじめかた", summary="【サンプル】架空の記事です。")
    ArticleApproval.objects.filter(page=page).update(next_review_due=datetime.date(2099, 1, 1))
    return page


@pytest.fixture
def series(make_series, article):
    message = {"text": TEXT, "target": article, "moment": Moment.AGE, "months": 5}
    return make_series([message])


def approved_translation(page, code, strings):
    """A live translation of ``page``, approved by a medical translator registered for ``code``."""
    translated = localize(page, code, strings)
    publish_approved(translated, reviewer=MedicalReviewerFactory(languages=[code]))
    return translated


def families(follower, *codes):
    """A LINE follower per language whose child turns five months in June 2026: {code: user id}."""
    return {
        code: follower(f"U{index:032x}", language=code, birth_month=datetime.date(2026, 1, 1)).line_user_id
        for index, code in enumerate(codes)
    }


def send_june_message(queued):
    with (
        time_machine.travel(tokyo(2026, 6, 1, 19), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        [dispatch] = dispatch_due_messages()
    [pk] = queued
    tasks.send_notification(pk)
    return Notification.objects.get(pk=dispatch.notification_id)


def received(line_server):
    """What each LINE user got: ``{user id: "title\\ntext"}`` (the message's alt text)."""
    return line_server.multicast_alt_texts()


def sent_in(notification):
    return dict(Batch.objects.filter(notification=notification).values_list("language", "content_language"))


def test_a_translated_message_reaches_english_families_in_english_and_japanese_families_in_japanese(
    series, article, follower, queued, line_server
):
    approved_translation(article, "en", {article.title: "[Sample] Starting solid food"})
    approved_translation(series, "en", {TEXT: ENGLISH_TEXT})
    users = families(follower, "ja", "en")

    notification = send_june_message(queued)

    got = received(line_server)
    assert got[users["en"]] == f"[Sample] Starting solid food\n{ENGLISH_TEXT}"
    assert got[users["ja"]] == f"{article.title}\n{TEXT}"
    assert notification.texts == {"en": ENGLISH_TEXT}
    assert sent_in(notification) == {"ja": "ja", "en": "en"}
    assert line_server.errors == []


def test_an_unapproved_translation_of_the_series_is_never_sent(
    series, article, follower, queued, line_server
):
    approved_translation(article, "en", {article.title: "[Sample] Starting solid food"})
    localize(series, "en", {TEXT: "[Sample] Not reviewed by anyone"})  # a draft awaiting its reviewer
    users = families(follower, "en")

    notification = send_june_message(queued)

    # Title and text in one language: the English title alone would make a message in two.
    assert received(line_server)[users["en"]] == f"{article.title}\n{TEXT}"
    assert notification.texts == {}
    assert sent_in(notification) == {"en": "ja"}


def test_without_a_translation_of_the_linked_article_the_whole_message_stays_japanese(
    series, article, follower, queued, line_server
):
    approved_translation(series, "en", {TEXT: ENGLISH_TEXT})
    users = families(follower, "en")

    notification = send_june_message(queued)

    assert received(line_server)[users["en"]] == f"{article.title}\n{TEXT}"
    assert notification.texts == {"en": ENGLISH_TEXT}
    assert sent_in(notification) == {"en": "ja"}


def test_a_vietnamese_family_gets_easy_japanese_along_its_fallback_chain(
    series, article, follower, queued, line_server, settings
):
    settings.LANGUAGE_FALLBACKS = {"vi": ["ja-x-easy", "ja"]}
    approved_translation(article, "ja-x-easy", {article.title: "【サンプル】りにゅうしょくの はじめかた"})
    approved_translation(series, "ja-x-easy", {TEXT: EASY_TEXT})
    users = families(follower, "vi")

    notification = send_june_message(queued)

    assert received(line_server)[users["vi"]] == f"【サンプル】りにゅうしょくの はじめかた\n{EASY_TEXT}"
    assert sent_in(notification) == {"vi": "ja-x-easy"}


def test_words_from_a_series_translation_withdrawn_after_the_issue_are_not_sent(
    series, article, follower, queued, line_server
):
    """A retry or a sweep may send hours after the issue: the series' translation is checked again
    then, while the article's translation stays live and approved."""
    approved_translation(article, "en", {article.title: "[Sample] Starting solid food"})
    translated_series = approved_translation(series, "en", {TEXT: ENGLISH_TEXT})
    users = families(follower, "en")
    with (
        time_machine.travel(tokyo(2026, 6, 1, 19), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        [dispatch] = dispatch_due_messages()
    assert Notification.objects.get(pk=dispatch.notification_id).texts == {"en": ENGLISH_TEXT}

    type(translated_series).objects.get(pk=translated_series.pk).unpublish()
    tasks.send_notification(dispatch.notification_id)

    assert received(line_server)[users["en"]] == f"{article.title}\n{TEXT}"
    assert sent_in(Notification.objects.get(pk=dispatch.notification_id)) == {"en": "ja"}
