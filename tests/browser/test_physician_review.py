"""Physician review in Chromium: submit, request changes with a comment, resubmit, approve, read it.

Runs wherever Chromium is installed; skips (and says so) only when it is not and CI is not set.
Under CI=true a missing Chromium fails the test.
"""

import re

import pytest

from django.contrib.auth.models import Group

from articles.workflows import MEDICAL_REVIEW_WORKFLOW

pytestmark = [
    pytest.mark.browser,
    # Transactional: the live server reads what the test writes.
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "sample-password"


@pytest.fixture
def review_tree(request, django_user_model):
    """An article index, an editor, and a physician whose admin account approves their articles."""
    from articles.factories import ArticleIndexPageFactory, PhysicianFactory

    home_page = request.getfixturevalue("home_page")
    index = ArticleIndexPageFactory(parent=home_page)
    editor = django_user_model.objects.create_user("sample-editor", "editor@example.jp", PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    physician_user = django_user_model.objects.create_user(
        "sample-physician", "physician@example.jp", PASSWORD
    )
    physician_user.groups.add(Group.objects.get(name="Physicians"))
    physician = PhysicianFactory(user=physician_user, name="見本 花子（サンプル）", name_kana="みほん はなこ")
    return index, physician


def log_in(browser, live_server, username):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def open_footer_menu(page):
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()


def test_editor_submits_physician_requests_changes_then_approves_and_the_public_page_shows_the_review(
    live_server, review_tree, browser, tmp_path
):
    from django.utils import timezone

    from wagtail.models import TaskState, WorkflowState

    from articles.models import ArticleApproval, ArticlePage
    from notifications.models import LineFollower, SubscriberStatus

    index, physician = review_tree
    # Three families a push reaches (no stage chosen: every push), and one who unfollowed.
    for n in range(3):
        LineFollower.objects.create(line_user_id=f"Usample{n}")
    LineFollower.objects.create(line_user_id="Ugone", status=SubscriberStatus.INACTIVE)

    # The editor writes an article and submits it to the Medical review workflow.
    editor = log_in(browser, live_server, "sample-editor")
    editor.goto(f"{live_server.url}/admin/pages/add/articles/articlepage/{index.pk}/")
    editor.fill("#id_title", "【サンプル】赤ちゃんの発熱")
    editor.fill("#id_summary", "【サンプル】熱が出たときの見守り方。")
    editor.locator("[data-streamfield-list-container] button[title], .c-sf-add-button").first.click()
    editor.get_by_role("option", name=re.compile("段落|Paragraph")).first.click()
    editor.locator("[contenteditable=true]").first.click()
    editor.keyboard.type("【サンプル】この記事はテスト用のサンプルです。")
    editor.locator("#id_physician-chooser [data-chooser-action-choose]").click()
    editor.locator(".modal-content").get_by_role("link", name=re.compile("見本 花子")).first.click()
    editor.wait_for_function("document.getElementById('id_physician').value !== ''")
    editor.locator("input[name=life_stages]").first.check()
    open_footer_menu(editor)
    with editor.expect_navigation(wait_until="domcontentloaded"):
        editor.click("button[name=action-submit]")

    article = ArticlePage.objects.get(title="【サンプル】赤ちゃんの発熱")
    state = WorkflowState.objects.for_instance(article).get()
    assert state.workflow.name == MEDICAL_REVIEW_WORKFLOW and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not article.live

    # The physician sees it first on the dashboard, above the fold at 1280×900, and requests
    # changes with a comment.
    doctor = log_in(browser, live_server, "sample-physician")
    awaiting = doctor.locator("section#awaiting-review-section")
    box = awaiting.first.bounding_box()
    tops = [panel.bounding_box()["y"] for panel in doctor.locator("section.w-panel").all()]
    assert len(tops) > 1 and box["y"] == min(tops), (box, tops)
    assert box["y"] + 100 < 900, box
    doctor.screenshot(path=str(tmp_path / "physician-dashboard.png"))
    doctor.get_by_role("link", name=re.compile("赤ちゃんの発熱")).first.click()
    doctor.wait_for_url(f"**/admin/pages/{article.pk}/edit/")
    open_footer_menu(doctor)
    doctor.click("[data-workflow-action-name=reject]")
    doctor.fill("textarea[name=comment]", "【サンプル】受診の目安を追記してください。")
    with doctor.expect_navigation(wait_until="domcontentloaded"):
        doctor.locator("form[action*='collect_action_data'] button[type=submit]").click()

    task_state = TaskState.objects.get(workflow_state=state)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "【サンプル】受診の目安を追記してください。"
    article.refresh_from_db()
    assert not article.live

    # The editor revises and resubmits.
    editor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    assert "受診の目安を追記してください" in editor.content()
    editor.fill("#id_summary", "【サンプル】熱が出たときの見守り方と受診の目安。")
    open_footer_menu(editor)
    with editor.expect_navigation(wait_until="domcontentloaded"):
        editor.click("button[name=action-submit]")

    # The physician approves the new version: Approve is the main button, and its dialog says
    # that approving publishes at once and pushes to how many families, before the click.
    doctor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    doctor.locator("footer [data-workflow-action-name=approve]").first.click()
    consequences = doctor.locator("[data-approval-consequences]")
    consequences.wait_for()
    assert re.search(r"すぐに公開.*\b3 家族にプッシュ通知", consequences.inner_text())
    doctor.screenshot(path=str(tmp_path / "physician-approve-dialog.png"))
    with doctor.expect_navigation(wait_until="domcontentloaded"):
        doctor.locator(".modal-content button[type=submit]").click()

    # They land on the dashboard, which they may see: the success message, no permission error.
    doctor.wait_for_url(f"{live_server.url}/admin/")
    assert doctor.locator(".messages .success").count() == 1
    assert not doctor.locator(".messages .error").count()
    assert "権限" not in doctor.locator(".messages").inner_text()
    doctor.screenshot(path=str(tmp_path / "physician-after-approval.png"))

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    approval = ArticleApproval.objects.get(revision=article.live_revision)
    assert approval.physician == physician and approval.reviewed_on == timezone.localdate()

    # The public page shows the article with its physician and review dates from the approval.
    public = browser.new_page()
    public.goto(f"{live_server.url}{article.url}")
    text = public.content()
    assert "熱が出たときの見守り方と受診の目安" in text
    assert "見本 花子（サンプル）" in text
    assert approval.reviewed_on.isoformat() in text
    assert approval.next_review_due.isoformat() in text
