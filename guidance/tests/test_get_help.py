import datetime

import pytest
import time_machine

from django.urls import reverse

from guidance.factories import ConsultationServiceFactory, weekday_service
from guidance.hours import TOKYO

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

# Monday 4 October 2027, 10:00 in Tokyo
MONDAY_MORNING = datetime.datetime(2027, 10, 4, 10, 0, tzinfo=TOKYO)


def test_emergency_numbers_come_before_any_service(client):
    weekday_service(name="【サンプル】助産師オンライン相談")
    html = client.get(reverse("guidance:get_help")).content.decode()
    positions = [html.index(marker) for marker in ("tel:119", "tel:%238000", "0120-279-338", "0570-783-556")]
    assert positions == sorted(positions)
    assert positions[-1] < html.index("【サンプル】助産師オンライン相談")


def test_emergency_numbers_in_a_service_description_are_tel_links(client):
    from bs4 import BeautifulSoup

    service = weekday_service(
        name="【サンプル】助産師相談",
        helps_with="【サンプル】授乳の悩み。急な症状は119へ",
        hours_note="夜間は#8000",
    )

    html = BeautifulSoup(client.get(reverse("guidance:get_help")).content, "html.parser")

    dials = [link["href"] for link in html.select(f"#service-{service.pk} ~ .service__facts a")]
    assert dials == ["tel:119", "tel:%238000"]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_each_service_shows_whether_it_is_open_now_and_when_it_next_opens(client):
    weekday_service(name="【サンプル】平日の相談", opens=datetime.time(9), closes=datetime.time(17))
    weekday_service(
        name="【サンプル】夜の相談", opens=datetime.time(20), closes=datetime.time(2), days=range(7)
    )
    ConsultationServiceFactory(name="【サンプル】24時間相談", all_hours=True)

    html = client.get(reverse("guidance:get_help")).content.decode()

    assert "受付中 · 17:00まで" in html
    assert "受付時間外 · 10/4 (月) 20:00から" in html
    assert "受付中 · 24時間" in html


def test_a_hidden_service_is_not_listed(client):
    ConsultationServiceFactory(name="【サンプル】準備中の相談", show_on_site=False)
    assert "準備中の相談" not in client.get(reverse("guidance:get_help")).content.decode()


def test_english_page_shows_the_translation_and_falls_back_to_japanese(client, english):
    translated = ConsultationServiceFactory(name="【サンプル】助産師相談")
    translation = translated.copy_for_translation(english)
    translation.name = "[Sample] Midwife consultation"
    translation.save()
    ConsultationServiceFactory(name="【サンプル】訳のない相談")

    html = client.get("/en/help/").content.decode()

    assert "[Sample] Midwife consultation" in html
    assert "【サンプル】助産師相談" not in html
    assert "【サンプル】訳のない相談" in html
    assert "Children&#x27;s emergency telephone consultation" in html


def test_a_translation_follows_the_source_hours(english):
    source = weekday_service()
    translation = source.copy_for_translation(english)
    translation.save()
    assert translation.status(MONDAY_MORNING).is_open


def test_every_page_header_links_to_get_help(client, home_page):
    html = client.get("/").content.decode()
    assert f'href="{reverse("guidance:get_help")}"' in html
    assert "相談する" in html


def test_editors_manage_services_but_not_the_crisis_list(client, editor):
    client.force_login(editor)
    assert client.get(reverse("wagtailsnippets_guidance_consultationservice:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_guidance_questionanswer:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_guidance_crisisexpression:list")).status_code in (302, 403)
    assert client.get(reverse("wagtailsnippets_guidance_crisisreply:list")).status_code in (302, 403)


def test_administrators_edit_the_crisis_list(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailsnippets_guidance_crisisexpression:add"),
        {"expression": "ｷｴﾃｼﾏｲﾀｲ", "kind": "crisis", "note": ""},
    )
    assert response.status_code == 302
    from guidance.models import CrisisExpression

    assert CrisisExpression.objects.filter(normalised="きえてしまいたい").exists()


def test_hours_are_summarised_by_runs_of_days(client):
    from guidance.factories import OpeningPeriodFactory

    service = weekday_service(name="【サンプル】平日の相談", opens=datetime.time(9), closes=datetime.time(17))
    OpeningPeriodFactory(service=service, weekday=5, opens=datetime.time(10), closes=datetime.time(12))

    assert service.hours_summary() == ["月曜日–金曜日 09:00–17:00", "土曜日 10:00–12:00"]


def test_a_service_the_hub_books_or_answers_itself_links_the_hubs_own_pages(
    client, django_capture_on_commit_callbacks
):
    """The hub's booking page and browser consultation replace a service's external links of the
    same kind (apps add them through the guidance_service_ways hook), and the self-check has its
    section (guidance_get_help_sections): nothing here names those apps."""
    from bookings.factories import SessionTypeFactory
    from consultations.models import Desk

    booked = ConsultationServiceFactory(
        name="【サンプル】予約相談", booking_url="https://example.jp/elsewhere-booking"
    )
    session_type = SessionTypeFactory(service=booked)
    answered = ConsultationServiceFactory(
        name="【サンプル】チャット相談", web_url="https://example.jp/elsewhere-chat"
    )
    Desk.objects.create(service=answered)
    ConsultationServiceFactory(name="【サンプル】外部の窓口", booking_url="https://example.jp/other-booking")

    html = client.get(reverse("guidance:get_help")).content.decode()

    assert f'href="{reverse("bookings:book", args=[session_type.pk])}"' in html
    assert "elsewhere-booking" not in html
    assert f'href="{reverse("consultations:start")}"' in html
    assert "elsewhere-chat" not in html
    assert "https://example.jp/other-booking" in html  # a service the hub does not carry keeps its link
    assert f'href="{reverse("screening:start")}"' in html
    # A session type closed for booking takes its page away again.
    session_type.active = False
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is cleared on commit
        session_type.save()
    assert "elsewhere-booking" in client.get(reverse("guidance:get_help")).content.decode()
