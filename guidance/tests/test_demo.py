"""The demo loader adds the sample services, bot answers and the crisis reply, approved in the Medical
review workflow by the demo physician (not their author), once."""

import io

import pytest

from django.core.management import call_command
from django.db.models import F

from wagtail.models import ModelLogEntry

from guidance.answering import answer
from guidance.models import ConsultationService, CrisisReply, QuestionAnswer, Route, WordsApproval

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture(autouse=True)
def _demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")


def load():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        ConsultationService.objects.count(),
        QuestionAnswer.objects.count(),
        list(CrisisReply.objects.values_list("language", "live_revision")),
        WordsApproval.objects.count(),
    )


def test_demo_services_and_answers_are_samples_and_load_once(client):
    load()
    first = snapshot()
    load()

    assert snapshot() == first
    japanese = ConsultationService.objects.filter(locale__language_code="ja")
    assert japanese.count() == 4
    assert all(service.name.startswith("【サンプル】") for service in japanese)
    assert ConsultationService.objects.filter(locale__language_code="en").count() == 2
    reply = CrisisReply.objects.get(language="ja")
    assert reply.approved
    approval = reply.live_approval
    assert approval.approved_by.username == "physician" and approval.revision.user.username == "admin"
    assert ModelLogEntry.objects.filter(action="oyako.approve", user=approval.approved_by).exists()
    assert QuestionAnswer.objects.filter(live=True).count() == QuestionAnswer.objects.count() - 1 == 6
    assert not WordsApproval.objects.filter(approved_by=F("revision__user")).exists()
    html = client.get("/help/").content.decode()
    assert "オンライン医療相談" in html and "受付中 · 24時間" in html


def test_demo_answers_reach_the_weaning_article_and_the_services():
    load()

    weaning = answer("離乳食はいつ始める？", "ja")
    assert weaning.route == Route.ANSWER
    assert "/starting-weaning/" in weaning.messages[0].links[0].url
    low = answer("気分が落ち込んで眠れない", "en")
    assert low.messages[0].text.startswith("[Sample]")


def test_the_demo_fever_question_gets_the_reviewed_answer_then_the_approved_fever_article():
    load()

    fever = answer("夜に赤ちゃんが発熱した", "ja")

    assert fever.route == Route.ANSWER
    text, articles = fever.messages[:2]
    assert "#8000" in text.text
    assert any("/baby-fever/" in card.url for card in articles.cards)


def test_one_demo_answer_waits_for_the_physician_and_the_bot_does_not_use_it(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from guidance.demo import PENDING_ANSWERS

    load()
    pending = QuestionAnswer.objects.get(question=PENDING_ANSWERS[0]["question"])
    assert not pending.live and pending.workflow_in_progress
    assert pending.current_workflow_state.requested_by.username == "editor"
    assert answer("夜泣きで眠れない", "ja").route != Route.ANSWER or (
        answer("夜泣きで眠れない", "ja").messages[0].text != pending.answer
    )
    client.force_login(get_user_model().objects.get(username="physician"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PENDING_ANSWERS[0]["question"] in html
