"""The interface speaks Japanese at the root and English under /en/, from the compiled catalogues."""

import re
from pathlib import Path

import pytest

from django.utils import translation

from wagtail.models import Locale

from articles.enums import LifeStage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

EMPTY_MSGSTR = re.compile(r'^msgstr(\[\d\])? ""\n(?!")', re.MULTILINE)


@pytest.fixture
def english_home(home_page):
    en, _created = Locale.objects.get_or_create(language_code="en")
    translation = home_page.copy_for_translation(en)
    translation.title = "Oyako Hub"
    translation.save_revision().publish()
    return translation


def test_root_is_japanese_with_translated_interface(english_home, client):
    # A browser asking for English still gets Japanese at the root: ja is the unprefixed default.
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ja">' in html
    assert "本文へスキップ" in html
    assert "記事を検索" in html
    assert '緊急時は<a class="tel-link" href="tel:119">119</a>番へ' in html  # the footer, its number tappable
    assert "Skip to main content" not in html


def test_english_prefix_serves_the_english_interface(english_home, client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Search articles" in html
    assert "本文へスキップ" not in html


def test_life_stage_labels_are_translated():
    with translation.override("ja"):
        assert str(LifeStage.PREGNANCY_EARLY.label) == "妊娠初期（〜15週）"
    with translation.override("en"):
        assert str(LifeStage.PREGNANCY_EARLY.label) == "Pregnancy, early (up to 15 weeks)"


def test_every_japanese_catalogue_entry_is_translated(settings):
    path = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.po")
    catalogue = path.read_text(encoding="utf-8")
    entries = catalogue.split("\n\n")[1:]  # the first block is the header
    assert len(entries) > 100
    # An empty msgstr not continued on the next line is an untranslated entry.
    untranslated = [entry for entry in entries if EMPTY_MSGSTR.search(entry + "\n")]
    assert untranslated == []
    assert "#, fuzzy" not in catalogue
