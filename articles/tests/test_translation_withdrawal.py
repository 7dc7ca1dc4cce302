"""A source's withdrawal and privacy follow it into every language, by every public road, and come
back only through the translation's own review (or, for privacy, when the source is public again)."""

import pytest

from django.test import TestCase

from wagtail.models import Page, PageLogEntry, PageViewRestriction

from articles.factories import ArticleIndexPageFactory, MedicalReviewerFactory, localize, publish_approved
from articles.gate import UnapprovedRevisionError
from articles.models import ArticlePage
from articles.translations import WITHDRAWN_ACTION

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

ENGLISH_TITLE = "Sleep for babies (sample)"
KOREAN_TITLE = "아기의 잠 (샘플)"


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def source_article(make_article, physician):
    return make_article(title="赤ちゃんの睡眠（サンプル）", summary="眠りの話", physician=physician)


@pytest.fixture
def live_translations(source_article):
    """The source's English and Korean translations, each approved by its own translator and live."""
    pages = []
    for language, title in (("en", ENGLISH_TITLE), ("ko", KOREAN_TITLE)):
        page = localize(source_article, language, {source_article.title: title})
        publish_approved(page, reviewer=MedicalReviewerFactory(languages=[language]))
        pages.append(reload(page))
    assert all(page.live for page in pages)
    return pages


def api_ids(client, locale):
    response = client.get("/api/v2/pages/", {"type": "articles.ArticlePage", "locale": locale})
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def search_hits(client, query):
    return client.get("/en/search/", {"q": query}).content.decode().count(ENGLISH_TITLE)


def assert_visible(client, page):
    assert client.get(page.url).status_code == 200
    assert page.pk in api_ids(client, page.locale.language_code)
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 200


def assert_withdrawn(client, page):
    assert not reload(page).live
    assert client.get(page.url).status_code == 404
    assert page.pk not in api_ids(client, page.locale.language_code)
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def withdrawal_entries(page):
    return PageLogEntry.objects.filter(page_id=page.pk, action=WITHDRAWN_ACTION)


def test_unpublishing_the_source_unpublishes_every_translation_on_the_site_api_search_and_cache(
    client, source_article, live_translations, superuser, django_capture_on_commit_callbacks
):
    english, korean = live_translations
    assert_visible(client, english)  # also fills the page cache
    assert search_hits(client, "Sleep") == 1

    with django_capture_on_commit_callbacks(execute=True):
        reload(source_article).unpublish(user=superuser)

    for page in (english, korean):
        assert_withdrawn(client, page)
        entry = withdrawal_entries(page).get()
        assert entry.user == superuser
        assert entry.data == {"source": source_article.pk, "reason": "source_unpublished"}
    assert search_hits(client, "Sleep") == 0


def test_republishing_the_source_does_not_bring_its_withdrawn_translations_back(
    client, source_article, live_translations, superuser
):
    english = live_translations[0]
    approved_revision = english.live_revision
    reload(source_article).unpublish(user=superuser)

    publish_approved(reload(source_article))

    assert not reload(english).live
    # Its old approval vouched for the source as it was: it needs its own review again.
    with pytest.raises(UnapprovedRevisionError):
        approved_revision.publish(user=superuser)
    assert not reload(english).live


def test_the_source_coming_back_as_it_was_does_not_bring_its_translations_back(
    client, source_article, live_translations, superuser
):
    english = live_translations[0]
    approved_revision = english.live_revision
    source_revision = reload(source_article).live_revision
    reload(source_article).unpublish(user=superuser)

    source_revision.publish(user=superuser)  # the same approved version of the source, live again

    assert reload(source_article).live_revision_id == source_revision.pk
    with pytest.raises(UnapprovedRevisionError):
        approved_revision.publish(user=superuser)
    assert not reload(english).live


def test_a_withdrawn_translation_comes_back_through_its_own_review(
    client, source_article, live_translations, superuser, editor
):
    english = live_translations[0]
    source_revision = reload(source_article).live_revision
    reload(source_article).unpublish(user=superuser)
    source_revision.publish(user=superuser)
    page = reload(english)
    page.get_workflow().start(page, editor)
    task_state = reload(page).current_workflow_task_state
    reviewer = MedicalReviewerFactory(languages=["en"])

    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state.task.specific.on_action(task_state, reviewer.user, "approve")

    page = reload(page)
    assert page.live and page.live_approval.reviewer == reviewer
    assert_visible(client, page)


def test_a_translation_of_a_deleted_source_does_not_come_back_on_its_old_approval(
    source_article, live_translations, superuser
):
    english = live_translations[0]
    approved_revision = english.live_revision
    Page.objects.get(pk=source_article.pk).delete()

    with pytest.raises(UnapprovedRevisionError):
        approved_revision.publish(user=superuser)
    assert not reload(english).live


def test_deleting_the_source_in_the_admin_unpublishes_every_translation(
    client, source_article, live_translations, superuser
):
    english, korean = live_translations
    admin = superuser
    client.force_login(admin)
    response = client.post(f"/admin/pages/{source_article.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=source_article.pk).exists()
    client.logout()

    for page in (english, korean):
        assert_withdrawn(client, page)
        entry = withdrawal_entries(page).get()
        assert (entry.user, entry.data["reason"]) == (admin, "source_deleted")


def test_deleting_the_source_in_code_also_withdraws_its_translations(
    client, source_article, live_translations
):
    Page.objects.get(pk=source_article.pk).delete()

    for page in live_translations:
        assert_withdrawn(client, page)


def test_moving_the_source_into_a_private_section_withdraws_its_translations(
    client, source_article, live_translations, home_page, superuser
):
    members = ArticleIndexPageFactory(parent=home_page, title="会員向け（サンプル）", slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    client.force_login(superuser)
    response = client.post(f"/admin/pages/{source_article.pk}/move/{members.pk}/confirm/")
    assert response.status_code == 302
    assert reload(source_article).get_parent().pk == members.pk
    client.logout()

    for page in live_translations:
        assert_withdrawn(client, page)
        entry = withdrawal_entries(page).get()
        assert (entry.user, entry.data["reason"]) == (superuser, "source_moved_to_private_section")


def test_moving_the_source_within_public_sections_leaves_its_translations_live(
    client, source_article, live_translations, home_page, superuser
):
    other = ArticleIndexPageFactory(parent=home_page, title="別の記事一覧（サンプル）", slug="others")

    Page.objects.get(pk=source_article.pk).move(other, pos="last-child", user=superuser)

    assert all(reload(page).live for page in live_translations)


def private_to_everyone(client, page):
    """Hidden from a parent by every public road while the page stays live."""
    assert reload(page).live
    assert page.pk not in api_ids(client, page.locale.language_code)
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert search_hits(client, "Sleep") == 0


def test_a_login_restriction_on_the_source_makes_its_translations_private_until_removed(
    client, source_article, live_translations, django_capture_on_commit_callbacks
):
    english = live_translations[0]
    assert_visible(client, english)  # cached

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=Page.objects.get(pk=source_article.pk), restriction_type=PageViewRestriction.LOGIN
        )

    for page in live_translations:
        private_to_everyone(client, page)
        response = client.get(page.url)
        assert response.status_code == 302 and "/login/" in response.url

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()

    for page in live_translations:
        assert_visible(client, page)
    assert search_hits(client, "Sleep") == 1


def test_a_password_on_the_source_section_asks_the_same_password_for_its_translations(
    client, source_article, live_translations, article_index
):
    english = live_translations[0]
    restriction = PageViewRestriction.objects.create(
        page=article_index, restriction_type=PageViewRestriction.PASSWORD, password="sample-pass"
    )

    private_to_everyone(client, english)
    response = client.get(english.url)
    html = response.content.decode()
    assert response.status_code == 200 and 'name="password"' in html and ENGLISH_TITLE not in html
    assert html.count('name="password"') == 1
    copies = PageViewRestriction.objects.filter(translated_from__source=restriction)
    assert {(copy.restriction_type, copy.password) for copy in copies} == {
        (PageViewRestriction.PASSWORD, "sample-pass")
    }

    restriction.password = "sample-changed"
    restriction.save()
    assert {copy.password for copy in copies.all()} == {"sample-changed"}

    copy_ids = list(copies.values_list("pk", flat=True))
    restriction.delete()
    assert copy_ids and not PageViewRestriction.objects.filter(pk__in=copy_ids).exists()
    assert_visible(client, english)


def test_privacy_removed_from_a_translation_by_hand_comes_back_while_its_source_is_private(
    client, source_article, live_translations
):
    english = live_translations[0]
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=source_article.pk), restriction_type=PageViewRestriction.LOGIN
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        PageViewRestriction.objects.get(page=english).delete()

    assert PageViewRestriction.objects.filter(page=english).exists()
    private_to_everyone(client, english)


def test_a_translation_made_after_the_source_went_private_is_private(client, source_article):
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=source_article.pk), restriction_type=PageViewRestriction.LOGIN
    )

    english = localize(source_article, "en", {source_article.title: ENGLISH_TITLE})
    publish_approved(english, reviewer=MedicalReviewerFactory(languages=["en"]))

    private_to_everyone(client, reload(english))


def test_a_translation_made_of_a_password_protected_source_asks_for_the_password_once(client, source_article):
    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=source_article.pk),
        restriction_type=PageViewRestriction.PASSWORD,
        password="sample-pass",
    )

    english = localize(source_article, "en", {source_article.title: ENGLISH_TITLE})

    assert PageViewRestriction.objects.filter(page=english).count() == 1
    restriction.delete()
    assert not PageViewRestriction.objects.filter(page=english).exists()


def test_a_private_translation_stays_private_when_its_source_is_public(
    client, source_article, live_translations
):
    """A translation may be more private than its source: only copies follow the source."""
    english = live_translations[0]
    own = PageViewRestriction.objects.create(page=english, restriction_type=PageViewRestriction.LOGIN)
    source_restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=source_article.pk), restriction_type=PageViewRestriction.LOGIN
    )

    source_restriction.delete()

    assert list(english.get_view_restrictions()) == [own]


def test_privacy_set_on_the_source_in_the_admin_follows_into_its_translations_with_its_groups(
    client, source_article, live_translations, superuser, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    english = live_translations[0]
    physicians, editors = Group.objects.get(name="Physicians"), Group.objects.get(name="Editors")
    url = f"/admin/pages/{source_article.pk}/privacy/"
    client.force_login(superuser)

    response = client.post(url, {"restriction_type": "groups", "groups": [physicians.pk]})
    assert response.status_code == 200 and response.json()["step"] == "set_privacy_done"
    copy = PageViewRestriction.objects.get(page=english)
    assert (copy.restriction_type, set(copy.groups.all())) == ("groups", {physicians})

    client.post(url, {"restriction_type": "groups", "groups": [physicians.pk, editors.pk]})
    assert set(PageViewRestriction.objects.get(page=english).groups.all()) == {physicians, editors}
    client.logout()
    private_to_everyone(client, english)

    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):  # the page cache clears on commit
        client.post(url, {"restriction_type": "none"})
    client.logout()
    assert not PageViewRestriction.objects.filter(page=english).exists()
    assert_visible(client, english)
