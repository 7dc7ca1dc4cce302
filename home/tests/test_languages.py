"""Eight languages end to end: complete catalogues everywhere, each prefix serving its interface,
a language switcher that keeps the page, hreflang alternates and lang attributes."""

import re
from pathlib import Path

import polib
import pytest

from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from wagtail.models import Locale

from articles.factories import MedicalReviewerFactory, publish_approved

SKIP_DIRS = {".venv", "var", "node_modules", "static", ".git"}
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdr]|%%")


def catalogue_dirs():
    """Every ``locale`` directory in the repository: the project's and each app's own."""
    base = Path(settings.BASE_DIR)
    found = []
    for path in sorted(base.rglob("locale")):
        if path.is_dir() and not SKIP_DIRS & set(path.relative_to(base).parts):
            found.append(path)
    return found


def catalogues():
    return [po for directory in catalogue_dirs() for po in sorted(directory.glob("*/LC_MESSAGES/django.po"))]


def test_catalogues_are_discovered_in_the_project_and_in_apps():
    names = {str(path.relative_to(settings.BASE_DIR)) for path in catalogue_dirs()}
    assert {"locale", "notifications/locale"} <= names


@pytest.mark.parametrize("directory", catalogue_dirs(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_catalogue_directory_has_every_configured_language(directory):
    missing = [code for code, _name in settings.LANGUAGES if not (directory / to_locale(code)).is_dir()]
    assert missing == []


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_catalogue_entry_is_translated_and_none_is_fuzzy(path):
    po = polib.pofile(str(path))
    assert not po.metadata_is_fuzzy
    assert len(po) > 0
    assert [e.msgid for e in po if not e.obsolete and not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []
    for entry in po:
        if entry.obsolete:
            continue
        sources = {tuple(sorted(PLACEHOLDER.findall(entry.msgid)))}
        if entry.msgid_plural:
            sources.add(tuple(sorted(PLACEHOLDER.findall(entry.msgid_plural))))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert tuple(sorted(PLACEHOLDER.findall(text))) in sources, (entry.msgid, text)
    # The compiled catalogue is committed beside it and up to date.
    compiled = path.with_suffix(".mo")
    assert compiled.exists()
    assert compiled.stat().st_size > 0


@pytest.mark.parametrize(
    ("code", "skip_link"),
    [
        ("ja", "本文へスキップ"),
        ("ja-x-easy", "ほんぶんへ とぶ"),
        ("en", "Skip to main content"),
        ("zh-hans", "跳到主要内容"),
        ("vi", "Chuyển đến nội dung chính"),
        ("tl", "Lumaktaw sa pangunahing nilalaman"),
        ("ko", "본문으로 건너뛰기"),
        ("pt-br", "Pular para o conteúdo principal"),
    ],
)
def test_each_language_has_its_interface_at_its_prefix(client, home_page, code, skip_link):
    prefix = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
    response = client.get(f"{prefix}search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert skip_link in html


def test_a_new_language_needs_only_a_setting_and_a_catalogue():
    # Every configured language resolves to its own catalogue, not to a fallback.
    for code, _name in settings.LANGUAGES:
        assert translation.get_supported_language_variant(code) == code
        with translation.override(code):
            assert translation.get_language() == code


@pytest.fixture
def translated_article(make_article):
    source = make_article(title="【サンプル】ことばの切り替え")
    easy = Locale.objects.get_or_create(language_code="ja-x-easy")[0]
    page = source.copy_for_translation(easy, copy_parents=True)
    page.title = "【サンプル】ことばの きりかえ"
    page.save()
    publish_approved(page, reviewer=MedicalReviewerFactory(languages=["ja-x-easy"]))
    page.refresh_from_db()
    return source, page


@pytest.mark.django_db
def test_the_switcher_keeps_the_page_in_every_language(client, translated_article):
    source, easy = translated_article
    html = client.get(source.url).content.decode()
    assert f'href="{easy.url}" lang="ja-x-easy" hreflang="ja-x-easy"' in html
    # Vietnamese falls back to やさしい日本語, Korean to Japanese: the same article, marked missing.
    assert f'href="{easy.url}?missing=vi" lang="vi" hreflang="vi"' in html
    assert f'href="{source.url}?missing=ko" lang="ko" hreflang="ko"' in html
    assert '<span aria-current="true" lang="ja">日本語</span>' in html
    # hreflang alternates name only the real translations, with an x-default.
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html)
    assert alternates == ["ja", "x-default", "ja-x-easy"]

    easy_html = client.get(easy.url).content.decode()
    assert '<html lang="ja-x-easy">' in easy_html
    assert "ほんぶんへ とぶ" in easy_html
    assert f'href="{source.url}" lang="ja" hreflang="ja"' in easy_html


@pytest.mark.django_db
def test_an_article_missing_in_a_language_says_so_in_that_language_and_links_what_exists(
    client, translated_article
):
    source, easy = translated_article
    response = client.get(f"{source.url}?missing=ko")
    assert response.status_code == 200
    html = response.content.decode()
    assert source.title in html
    notice = re.search(r'class="notice notice--language" role="status" lang="ko">(.*?)</div>', html, re.S)
    assert notice, "the notice is marked as Korean text"
    with translation.override("ko"):
        expected = translation.gettext(
            "This page is not yet available in %(language)s. It is shown in %(shown)s."
        ) % {"language": "한국어", "shown": "日本語"}
    assert expected in notice.group(1)
    assert f'href="{easy.url}" lang="ja-x-easy"' in notice.group(1)


@pytest.mark.django_db
def test_no_missing_notice_for_an_unknown_language_or_one_the_page_has(client, translated_article):
    source, _easy = translated_article
    for query in ("?missing=xx", "?missing=%3Cscript%3E", "?missing=ja-x-easy", "?missing=ja"):
        html = client.get(f"{source.url}{query}").content.decode()
        assert "notice--language" not in html, query
