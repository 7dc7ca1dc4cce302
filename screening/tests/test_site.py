"""The self-check on the site: the same words, item 9 rule and bands; nothing kept but the anonymous row."""

import pytest

from screening.models import CheckRecord, CheckSession, KeptResult, Outcome

pytestmark = pytest.mark.django_db
START = "/help/check/"
QUESTIONS = "/help/check/questions/"


def answer_all(client, answers):
    client.post(START)
    response = None
    for step, value in enumerate(answers, start=1):
        response = client.post(QUESTIONS, {"step": step, "answer": value})
    return response


def test_the_get_help_page_leads_to_the_check(client, ready, home_page):
    response = client.get("/help/")
    assert START in response.content.decode()


def test_the_site_check_routes_by_band_and_keeps_nothing(client, ready, monday_morning):
    response = answer_all(client, [2, 2, 1, 2, 1, 1, 1, 1, 0])
    page = response.content.decode()
    assert "産後こころのカウンセリング" in page and "受付中" in page
    assert ready.closing_3[:20] in page
    assert CheckRecord.objects.get().outcome == Outcome.FINISHED
    assert not CheckSession.objects.exists() and not KeptResult.objects.exists()


def test_item_9_on_the_site_shows_the_crisis_reply_at_once(client, ready, monday_morning):
    response = answer_all(client, [0] * 8 + [1])
    page = response.content.decode()
    assert "サンプル承認文" in page and "0120-279-338" in page
    assert "産後こころのカウンセリング" in page
    assert CheckRecord.objects.get().outcome == Outcome.ITEM_9
    assert not CheckSession.objects.exists()


def test_no_answer_is_a_clear_error_and_changes_nothing(client, ready):
    client.post(START)
    response = client.post(QUESTIONS, {"step": 1})
    assert response.status_code == 400
    assert CheckSession.objects.get().step == 1


def test_an_old_page_after_the_check_ended_is_answered_calmly(client, ready):
    answer_all(client, [1, 1])
    client.post(QUESTIONS, {"step": 3, "stop": 1})
    response = client.post(QUESTIONS, {"step": 3, "answer": 1})
    assert response.status_code == 200
    assert CheckRecord.objects.get().outcome == Outcome.STOPPED


def test_without_an_approved_instrument_the_site_offers_no_check(client, bands, editor):
    from screening.factories import instrument

    draft = instrument("ja")
    draft.save_revision(user=editor)
    page = client.get(START).content.decode()
    assert "物事に興味" not in page and "産後こころのカウンセリング" in page
