"""The admin in Japanese (issue 25): Wagtail's and wagtail-localize's own strings that their ja
catalogues lack come from the override catalogue in ``cms/locale_overrides``."""

import json
import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.urls import reverse
from django.utils import translation

import wagtail
import wagtail_localize

from articles.factories import ArticlePageFactory, PhysicianFactory
from security.tests.conftest import make_user

OVERRIDES = Path(settings.BASE_DIR) / "cms" / "locale_overrides"
CATALOGUES = sorted(OVERRIDES.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdr]|%%|\{[a-z_0-9]*\}")


def visible_text(html):
    """What a reader of the page meets: its text, placeholders, titles and labels (no scripts)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    attributes = [
        value
        for tag in soup.find_all(True)
        for name in ("placeholder", "title", "aria-label", "alt")
        if (value := tag.get(name))
    ]
    return " ".join(" ".join([soup.get_text(" "), *attributes]).split())


def menu_labels(html):
    """The labels of the sidebar's menus (Reports, Settings...), which the page carries as JSON."""
    soup = BeautifulSoup(html, "html.parser")
    props = json.loads(soup.find("script", id="wagtail-sidebar-props").string)
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return labels


@pytest.fixture
def japanese_admin(client, admin_user):
    """The superuser's admin in Japanese, the admin's default (no language of their own chosen)."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def physician(django_user_model, db):
    return PhysicianFactory(user=make_user(django_user_model, "sample-physician", "Physicians"))


@pytest.fixture
def article_in_review(article_index, physician, django_user_model):
    """An article an editor submitted to its physician's review: it fills the dashboard's panels."""
    editor = make_user(django_user_model, "sample-editor", "Editors")
    page = ArticlePageFactory(parent=article_index, title="つわりの時期を乗りきる工夫", physician=physician)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


def test_the_override_catalogue_comes_after_the_project_catalogues():
    """``make messages`` writes only the first path (and the apps' own); the overrides stay by hand."""
    assert settings.LOCALE_PATHS[0] == Path(settings.BASE_DIR) / "locale"
    assert OVERRIDES in settings.LOCALE_PATHS[1:]
    assert {path.name for path in CATALOGUES} == {"django.po", "djangojs.po"}


def test_the_dashboard_is_japanese(client, physician, article_in_review):
    """The physician's dashboard lists the article awaiting their review."""
    client.force_login(physician.user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    text = visible_text(html)
    for english in ("Search all pages", "Privacy and access", "Task submitted by"):
        assert english not in text
    for japanese in ("すべてのページを検索…", "公開範囲とアクセス", "タスクを提出したユーザー"):
        assert japanese in text


def test_the_reports_and_settings_menus_are_japanese(japanese_admin):
    labels = menu_labels(japanese_admin.get(reverse("wagtailadmin_home")).content.decode())
    for english in ("Aging pages", "Page types usage", "Locales", "Translations"):
        assert english not in labels
    for japanese in ("長期間更新されていないページ", "ページタイプの使用状況", "ロケール", "翻訳"):
        assert japanese in labels


@pytest.mark.parametrize(
    ("url_name", "english", "japanese"),
    [
        ("wagtailadmin_reports:aging_pages", "Aging pages", "長期間更新されていないページ"),
        ("wagtailadmin_reports:page_types_usage", "Page types usage", "ページタイプの使用状況"),
        ("wagtaillocales:index", "Add a locale", "ロケールを追加"),
        ("wagtail_localize:translations_report", "Source title", "翻訳元のタイトル"),
    ],
)
def test_the_reports_and_settings_screens_are_japanese(
    japanese_admin, home_page, url_name, english, japanese
):
    response = japanese_admin.get(reverse(url_name))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert english not in text
    assert japanese in text


def test_the_page_explorer_is_japanese(japanese_admin, article_in_review, article_index):
    html = japanese_admin.get(reverse("wagtailadmin_explore", args=[article_index.pk])).content.decode()
    text = visible_text(html)
    for english in ("More options for", "Has child pages", "Page type"):
        assert english not in text
    assert f"「{article_in_review.title}」のその他の操作" in text
    assert "ページタイプ" in text


def test_the_page_editor_is_japanese(japanese_admin, article_in_review):
    html = japanese_admin.get(
        reverse("wagtailadmin_pages:edit", args=[article_in_review.pk])
    ).content.decode()
    text = visible_text(html)
    for english in ("Toggle side panel", "Page visibility:", "Preview in new tab", "Content metrics"):
        assert english not in text
    for japanese in (
        "サイドパネルの表示を切り替え",
        "ページの公開範囲:",
        "新しいタブでプレビュー",
        "コンテンツの指標",
    ):
        assert japanese in text


@pytest.mark.parametrize(
    ("url_name", "japanese"),
    [
        # "Collapse all" and "Search options…" are drawn by Wagtail's scripts.
        (
            "wagtailadmin_javascript_catalog",
            {"Collapse all": "すべて折りたたむ", "Search options…": "検索オプション…"},
        ),
        # wagtail-localize's translation editor.
        (
            "wagtail_localize:javascript_catalog",
            {"Upload PO file": "PO ファイルをアップロード", "Stop Synced translation": "同期翻訳を停止"},
        ),
    ],
)
def test_the_script_catalogues_are_japanese(japanese_admin, url_name, japanese):
    script = japanese_admin.get(reverse(url_name)).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    for english, words in japanese.items():
        assert catalogue.get(english) == words


@pytest.mark.parametrize("language", ["ja", "ja-x-easy"])
def test_japanese_and_easy_japanese_read_the_override_catalogue(language):
    """Python's gettext looks for ``ja_X-easy`` and then ``ja``: easy Japanese gets the same words."""
    # Looked up through a name makemessages does not read: these are Wagtail's msgids, not ours.
    lookup = translation.gettext
    with translation.override(language):
        assert lookup("Aging pages") == "長期間更新されていないページ"
        assert lookup("Privacy and access") == "公開範囲とアクセス"


def test_the_admin_offers_only_languages_it_is_translated_into():
    provided = {code for code, _name in settings.LANGUAGES}
    offered = [code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES]
    assert offered[0] == settings.LANGUAGE_CODE
    assert set(offered) <= provided
    assert "ja-x-easy" not in offered  # the same Japanese admin as ja
    assert "tl" not in offered  # Wagtail has no Filipino catalogue


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_override_entry_is_translated_keeps_its_placeholders_and_is_compiled(path):
    po = polib.pofile(str(path))
    assert len(po) > 0
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags or e.obsolete] == []
    for entry in po:
        sources = {tuple(sorted(PLACEHOLDER.findall(entry.msgid)))}
        if entry.msgid_plural:
            sources.add(tuple(sorted(PLACEHOLDER.findall(entry.msgid_plural))))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert tuple(sorted(PLACEHOLDER.findall(text))) in sources, (entry.msgid, text)
    # The committed .mo says exactly what the .po says.
    compiled = polib.mofile(str(path.with_suffix(".mo")))

    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid
        }

    assert entries(compiled) == entries(po)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_override_entry_is_still_asked_for_by_wagtail_or_wagtail_localize(path):
    """After an upgrade, an entry whose English changed upstream shows up here instead of silently
    going stale."""
    asked = set()
    for package in (wagtail, wagtail_localize):
        for source in Path(package.__file__).parent.rglob(f"locale/en/LC_MESSAGES/{path.name}"):
            asked |= {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(source))}
    po = polib.pofile(str(path))
    assert [e.msgid for e in po if (e.msgctxt, e.msgid, e.msgid_plural) not in asked] == []


def notification_messages():
    """Every (context, msgid) of Wagtail's workflow and moderation e-mail templates, as Django's
    template engine asks the catalogue for it ({% trans %} and {% blocktrans %}, trimmed or not)."""
    from django.template import engines
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode

    folder = Path(wagtail.__file__).parent / "admin" / "templates" / "wagtailadmin" / "notifications"
    engine = engines["django"]
    found = set()
    for path in sorted(folder.iterdir()):
        nodelist = engine.get_template(f"wagtailadmin/notifications/{path.name}").template.nodelist
        for node in nodelist.get_nodes_by_type(TranslateNode):
            context = node.message_context.var if node.message_context else None
            found.add((context, node.filter_expression.var.literal))
        for node in nodelist.get_nodes_by_type(BlockTranslateNode):
            context = node.message_context.var if node.message_context else None
            found.add((context, node.render_token_list(node.singular)[0]))
    return sorted(found, key=lambda item: item[1])


def test_every_sentence_of_the_workflow_emails_is_japanese():
    """Wagtail's ja catalogue lacks most of its workflow e-mails' sentences; the overrides give them."""
    messages = notification_messages()
    assert len(messages) > 40  # the templates were read
    with translation.override("ja"):
        untranslated = [
            msgid
            for context, msgid in messages
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid)) == msgid
        ]
    assert untranslated == []
