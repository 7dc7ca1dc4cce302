"""Translation sign-off in Chromium: an editor translates an article into English with
wagtail-localize's editor and submits it; a medical translator registered for English approves it;
the English page shows who checked the translation, and when."""

import re

import pytest

from django.contrib.auth.models import Group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sample-password"


@pytest.fixture
def tree(request, django_user_model):
    from wagtail.models import Locale
    from wagtail.users.models import UserProfile

    from articles.factories import (
        ArticleIndexPageFactory,
        ArticlePageFactory,
        MedicalReviewerFactory,
        publish_approved,
    )

    home_page = request.getfixturevalue("home_page")
    index = ArticleIndexPageFactory(parent=home_page)
    english = Locale.objects.get_or_create(language_code="en")[0]
    for page in (home_page, index):
        copy = page.copy_for_translation(english)
        copy.save_revision().publish()
    editor = django_user_model.objects.create_user("sample-editor", "editor@example.jp", PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    translator = MedicalReviewerFactory(languages=["en"], name="Sample Translator")
    translator.user.set_password(PASSWORD)
    translator.user.save()
    translator.user.groups.add(Group.objects.get(name="Physicians"))
    for user in (editor, translator.user):
        UserProfile.get_for_user(user).__class__.objects.filter(user=user).update(preferred_language="en")
    article = ArticlePageFactory(
        parent=index, title="【サンプル】ねつの見かた", summary="【サンプル】熱のときに見ること。"
    )
    publish_approved(article)
    return article, translator


def log_in(browser, live_server, username):
    page = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo").new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_editor_translates_into_english_a_qualified_reviewer_approves_and_the_page_shows_it(
    live_server, tree, browser
):
    from django.utils import timezone

    from articles.models import ArticleApproval, ArticlePage

    article, translator = tree

    editor = log_in(browser, live_server, "sample-editor")
    editor.goto(f"{live_server.url}/admin/localize/submit/page/{article.pk}/")
    from wagtail.models import Locale

    english = Locale.objects.get(language_code="en")
    editor.locator(f"input[name=locales][value='{english.pk}']").check()
    with editor.expect_navigation(wait_until="domcontentloaded"):
        editor.get_by_role("button", name=re.compile("Submit")).click()
    translated = ArticlePage.objects.get(translation_key=article.translation_key, locale__language_code="en")
    assert not translated.live

    # Translate the title in wagtail-localize's editor.
    editor.goto(f"{live_server.url}/admin/pages/{translated.pk}/edit/")
    editor.get_by_role("button", name=re.compile("^Translate$")).first.click()
    editor.locator("textarea").first.fill("[Sample] Checking a fever")
    editor.get_by_role("button", name=re.compile("^Save$")).first.click()
    editor.wait_for_timeout(500)

    # Submit it for medical review.
    editor.goto(f"{live_server.url}/admin/articles/translations/{translated.pk}/submit/")
    with editor.expect_navigation(wait_until="domcontentloaded"):
        editor.get_by_role("button", name="Submit for medical review").click()
    translated = ArticlePage.objects.get(pk=translated.pk)
    assert translated.title == "[Sample] Checking a fever"
    assert not translated.live

    # The page listing still works with the submission in its "More" menu.
    assert editor.goto(f"{live_server.url}/admin/pages/{translated.get_parent().pk}/").ok

    # The English medical translator approves it from the dashboard's review panel.
    reviewer = log_in(browser, live_server, translator.user.username)
    assert "[Sample] Checking a fever" in reviewer.content()
    reviewer.get_by_role("button", name="Actions").first.click()
    reviewer.locator("button[data-workflow-action-url][data-launch-modal]", has_text="Approve").first.click()
    # The dialog says what approving does before the click.
    assert "publishes this version at once" in reviewer.locator("[data-approval-consequences]").inner_text()
    with reviewer.expect_navigation(wait_until="domcontentloaded"):
        reviewer.locator(".modal-content button[type=submit]").click()

    translated = ArticlePage.objects.get(pk=translated.pk)
    assert translated.live
    approval = ArticleApproval.objects.get(revision=translated.live_revision)
    assert approval.reviewer == translator and approval.reviewed_on == timezone.localdate()

    public = browser.new_page()
    public.goto(f"{live_server.url}{translated.url}")
    text = public.content()
    assert '<html lang="en">' in text
    assert "This translation was checked by Sample Translator." in text
    assert approval.reviewed_on.isoformat() in text
