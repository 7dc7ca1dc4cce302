"""A service reads in the best language along the reader's fallback chain; words shown in another
language than the page's carry their own ``lang``; the facts (phone, links, report code) are the
source's, never a translator's copy."""

import pytest
from bs4 import BeautifulSoup

from wagtail.models import Locale
from wagtail_localize.fields import get_translatable_fields

from guidance.factories import weekday_service
from guidance.models import ConsultationService, services_for_language

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def service():
    source = weekday_service(
        name="【サンプル】助産師相談", helps_with="【サンプル】授乳の悩み", phone="048-000-0000"
    )
    easy = source.copy_for_translation(Locale.objects.get_or_create(language_code="ja-x-easy")[0])
    easy.name, easy.helps_with = "【サンプル】じょさんしの そうだん", "【サンプル】おっぱいの なやみ"
    easy.save()
    return source


@pytest.mark.parametrize(
    ("language", "shown_in"), [("ja", "ja"), ("ja-x-easy", "ja-x-easy"), ("vi", "ja-x-easy"), ("ko", "ja")]
)
def test_a_service_is_shown_in_the_best_language_along_the_chain(service, language, shown_in):
    (shown,) = services_for_language(language)
    assert shown.locale.language_code == shown_in


def test_the_korean_page_marks_the_japanese_service_as_japanese(service, client):
    html = BeautifulSoup(client.get("/ko/help/").content, "html.parser")
    name = html.select_one(f"#service-{service.pk}")
    assert name["lang"] == "ja"
    assert {dd.get("lang") for dd in html.select(".service__facts dd") if dd.get_text(strip=True)} >= {"ja"}


def test_the_easy_japanese_page_shows_its_own_words_without_a_foreign_lang(service, client):
    html = BeautifulSoup(client.get("/ja-x-easy/help/").content, "html.parser")
    name = html.select_one(".service__name")
    assert name.get_text(strip=True) == "【サンプル】じょさんしの そうだん"
    assert not name.has_attr("lang")


def test_phone_links_and_report_code_are_synchronised_not_translated():
    kinds = {field.field_name: type(field).__name__ for field in get_translatable_fields(ConsultationService)}
    for name in ("phone", "line_url", "web_url", "booking_url", "report_code", "staff_group", "hours"):
        assert kinds[name] == "SynchronizedField", name
    assert kinds["helps_with"] == "TranslatableField"
