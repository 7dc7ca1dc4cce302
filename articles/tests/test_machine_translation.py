"""A machine translator, when configured, fills a translation as a draft; やさしい日本語 is never
machine translated."""

import pytest

from django.test import TestCase
from django.urls import reverse

from wagtail.models import Locale
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from articles.models import ArticleApproval, ArticlePage

pytestmark = pytest.mark.django_db

DEEPL = {"CLASS": "articles.machine_translators.EditorsDeepLTranslator", "OPTIONS": {"AUTH_KEY": "sample:fx"}}
DUMMY = {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}


def locale(code):
    return Locale.objects.get_or_create(language_code=code)[0]


def test_no_machine_translator_is_configured_by_default():
    assert get_machine_translator() is None


def test_deepl_translates_into_english_but_never_into_easy_japanese(settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = DEEPL
    translator = get_machine_translator()
    japanese = locale("ja")
    assert translator.can_translate(japanese, locale("en"))
    assert translator.can_translate(japanese, locale("pt-br"))
    assert not translator.can_translate(japanese, locale("ja-x-easy"))


def test_machine_output_is_a_draft_waiting_for_its_reviewer(settings, client, make_article, superuser):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = DUMMY
    source_page = make_article(title="【サンプル】機械翻訳の下書き")
    source, _created = TranslationSource.get_or_create_from_instance(source_page)
    translation = Translation.objects.create(source=source, target_locale=locale("en"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=False)
    client.force_login(superuser)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("wagtail_localize:machine_translate", args=[translation.pk]))

    assert response.status_code == 302
    assert StringTranslation.objects.filter(locale=locale("en")).exists()
    translated = ArticlePage.objects.get(translation_key=source_page.translation_key, locale=locale("en"))
    assert not translated.live
    assert not ArticleApproval.objects.filter(page=translated).exists()
