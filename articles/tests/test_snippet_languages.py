"""Topics are translatable snippets: a reader sees a topic in the best language along their
fallback chain, and a name shown in another language than the page's says which."""

import pytest

from django.utils import translation

from wagtail.models import Locale

from articles.factories import TopicFactory
from articles.models import Topic, names_for_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def fever():
    topic = TopicFactory(name="発熱", slug="fever", name_en="Fever")
    for code, name in (("en", "Fever"), ("ja-x-easy", "ねつ")):
        locale = Locale.objects.get_or_create(language_code=code)[0]
        copy = topic.copy_for_translation(locale)
        copy.name = name
        copy.save()
    return topic


@pytest.mark.parametrize(
    ("language", "name", "shown_in"),
    [
        ("ja", "発熱", "ja"),
        ("ja-x-easy", "ねつ", "ja-x-easy"),
        ("en", "Fever", "en"),
        ("ko", "発熱", "ja"),  # ko → ja: never the English name
        ("vi", "ねつ", "ja-x-easy"),  # vi → ja-x-easy → ja
    ],
)
def test_a_topic_is_shown_along_the_readers_fallback_chain(fever, language, name, shown_in):
    shown = names_for_reader([fever], language)[fever.pk]
    assert shown == name and shown.language == shown_in
    with translation.override(language):
        assert fever.display_name == name


def test_a_translation_keeps_its_sources_slug_and_the_source_alone_is_listed(fever, client, article_index):
    slugs = Topic.objects.filter(translation_key=fever.translation_key).values_list("slug", flat=True)
    assert set(slugs) == {"fever"}
    html = client.get(article_index.url).content.decode()
    assert html.count('value="fever"') == 1


def test_a_physicians_translation_gives_their_words_but_never_their_admin_account(django_user_model):
    from articles.factories import PhysicianFactory

    user = django_user_model.objects.create_user("sample-doctor")
    physician = PhysicianFactory(name="森川 さくら", credentials="小児科専門医", user=user)
    english = physician.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
    english.name, english.credentials = "Morikawa Sakura", "Paediatrician"
    english.save()

    assert english.user is None and user.physician == physician
    shown = physician.for_reader("en")
    assert (shown.name, shown.shown_language) == ("Morikawa Sakura", "en")
    shown = physician.for_reader("ko")
    assert (shown.name, shown.shown_language) == ("森川 さくら", "ja")


def test_a_translated_page_keeps_the_japanese_physician_who_approves_it():
    from wagtail_localize.fields import get_translatable_fields

    from articles.models import ArticlePage
    from campaigns.models import CampaignPage

    for model in (ArticlePage, CampaignPage):
        kinds = {field.field_name: type(field).__name__ for field in get_translatable_fields(model)}
        assert kinds["physician"] == "SynchronizedField"
        assert kinds["title"] == kinds["body"] == "TranslatableField"
