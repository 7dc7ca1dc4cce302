"""The やさしい日本語 checker: hints for long sentences, difficult kanji without furigana, double
negatives and honorific forms, shown in the editor of easy-Japanese pages only."""

import pytest

from django.urls import reverse

from wagtail.models import Locale

from articles.easy_japanese import check_text, plain_text

pytestmark = pytest.mark.django_db


def rules(text):
    return [hint.rule for hint in check_text(text)]


def test_plain_short_easy_text_gets_no_hints():
    assert rules("あしたは 雨です。かさを もって いきましょう。") == []


def test_a_long_sentence_is_flagged():
    text = (
        "こどもが ねつを だした ときは、まず からだを よく みて、"
        "みずを のませて、よる おそくても こまったら でんわで そうだんして ください。"
    )
    assert rules(text) == ["long_sentence"]


def test_difficult_kanji_is_flagged_unless_it_carries_its_reading():
    [hint] = check_text("病院へ いきます。")
    assert hint.rule == "difficult_kanji"
    assert "病" in str(hint.message) and "院" in str(hint.message)
    assert rules("病院（びょういん）へ いきます。") == []
    # A kyōiku grade 1–2 kanji needs no reading.
    assert rules("大きい 手です。") == []


def test_ruby_in_rich_text_counts_as_furigana():
    html = "<p><ruby>病院<rt>びょういん</rt></ruby>へ いきます。</p>"
    assert rules(plain_text(html)) == []


@pytest.mark.parametrize(
    "text", ["たべない わけでは ありません。", "いかなければ なりません。", "のまないと いけません。"]
)
def test_double_negatives_are_flagged(text):
    assert "double_negative" in rules(text)


@pytest.mark.parametrize(
    "text", ["せんせいが いらっしゃいます。", "おしらせを いたします。", "ごらんください。"]
)
def test_honorific_forms_are_flagged(text):
    text = text.replace("ごらんください", "ご覧ください")
    assert "honorific" in rules(text)


def test_the_threshold_comes_from_the_setting(settings):
    assert rules("病気です。") == ["difficult_kanji"]  # 病 is a grade 3 kanji
    settings.EASY_JAPANESE_MAX_KANJI_GRADE = 3
    assert rules("病気です。") == []
    settings.EASY_JAPANESE_MAX_KANJI_GRADE = 1
    assert "difficult_kanji" in rules("時間です。")


def test_the_editor_of_an_easy_japanese_article_shows_hints_and_still_saves(client, make_article, superuser):
    source = make_article(title="【サンプル】ねつ")
    easy = Locale.objects.get_or_create(language_code="ja-x-easy")[0]
    page = source.copy_for_translation(easy, copy_parents=True)
    page.summary = "病院へ いかなければ なりません。"
    page.save()
    page.save_revision()
    client.force_login(superuser)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'id="easy-japanese-hints-title"' in html
    assert "病、院" in html  # the difficult kanji, named
    assert "いかなければ なりません" in html

    japanese_html = client.get(reverse("wagtailadmin_pages:edit", args=[source.pk])).content.decode()
    assert "easy-japanese-hints-title" not in japanese_html
