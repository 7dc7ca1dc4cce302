"""The physician's approval as the admin shows it: what awaits review comes first on the dashboard,
Approve is the main button and its dialog says what approving does (with the number of families a
push reaches), and after approving the physician lands on a page they can see."""

import json

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext as wagtail_says

from wagtail.admin.action_menu import PageActionMenu

from articles.models import ArticlePage
from articles.templatetags.articles_review import approval_consequences
from notifications.models import AppDevice, LineFollower, SubscriberStatus

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def families(db):
    """Five active families a push to babies (0 to 1) reaches, and three it does not."""
    for n in range(3):
        LineFollower.objects.create(line_user_id=f"Ubaby{n}", life_stage="age_0_1", stage_chosen=True)
    LineFollower.objects.create(line_user_id="Unochoice")  # no stage chosen: every push
    AppDevice.objects.create(token="token-baby", life_stage="age_0_1", stage_chosen=True)
    LineFollower.objects.create(line_user_id="Uchild", life_stage="age_3_6", stage_chosen=True)
    LineFollower.objects.create(line_user_id="Ugone", life_stage="age_0_1", status=SubscriberStatus.INACTIVE)
    AppDevice.objects.create(token="token-child", life_stage="age_3_6", stage_chosen=True)


def submit_with_push(draft, editor, notify=True):
    draft.notify_subscribers = notify
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    page = ArticlePage.objects.get(pk=draft.pk)
    return page, page.current_workflow_task_state


def test_awaiting_your_review_is_the_first_panel_on_the_physicians_dashboard(client, submitted, physician):
    client.force_login(physician.user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="awaiting-review' in html and "reviews-due-heading" in html
    assert html.index('id="awaiting-review') < html.index("reviews-due-heading")


def test_approve_is_the_main_button_of_the_edit_page_for_the_physician(rf, submitted, physician):
    page, _task_state = submitted
    request = rf.get("/")
    request.user = physician.user
    menu = PageActionMenu(request, view="edit", page=page, lock=None, locked_for_user=False)
    assert menu.default_item.name == "approve"


def test_the_approve_dialog_says_it_publishes_and_pushes_to_the_families_it_reaches(
    client, draft, editor, physician, families
):
    page, task_state = submit_with_push(draft, editor)
    words = str(approval_consequences(task_state))
    assert "5" in words

    client.force_login(physician.user)
    url = reverse("wagtailadmin_pages:collect_workflow_action_data", args=(page.pk, "approve", task_state.pk))
    html = json.loads(client.get(url).content)["html"]
    assert "data-approval-consequences" in html and words in html


def test_the_approve_dialog_says_no_push_goes_out_when_none_is_ticked(draft, editor, families):
    _page, task_state = submit_with_push(draft, editor, notify=False)
    words = str(approval_consequences(task_state))
    assert "5" not in words
    assert words == str(_("Approving publishes this version at once. No push notification is sent."))


def test_after_approving_the_physician_lands_on_the_dashboard_without_a_permission_error(
    client, submitted, physician
):
    page, task_state = submitted
    client.force_login(physician.user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert ArticlePage.objects.get(pk=page.pk).live
    landing = client.get(response.url)
    assert landing.status_code == 200
    assert not [m for m in landing.context["messages"] if m.level_tag == "error"]


def test_the_editors_submit_button_and_message_read_as_japanese(client, draft, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(draft.pk,))).content.decode()
    assert "医療監修に提出" in html and "Medical review" not in html
    with translation.override("ja"):
        # Wagtail's own message, in Wagtail's catalogue (an alias keeps it out of ours).
        message = wagtail_says("Page '%(page_title)s' has been submitted for moderation.") % {
            "page_title": "記事"
        }
    assert message == "「記事」を確認に提出しました。"


def test_the_approve_dialog_names_the_scheduled_go_live_instead_of_at_once(draft, editor, families):
    import datetime

    from django.utils import formats, timezone

    go_live_at = timezone.now() + datetime.timedelta(days=3)
    draft.go_live_at = go_live_at
    _page, task_state = submit_with_push(draft, editor)
    with translation.override("en"):
        words = str(approval_consequences(task_state))
        when = formats.date_format(timezone.localtime(go_live_at), "DATETIME_FORMAT")
    assert "at once" not in words
    assert when in words and "5" in words


def test_a_past_go_live_still_reads_at_once(draft, editor, families):
    import datetime

    from django.utils import timezone

    draft.go_live_at = timezone.now() - datetime.timedelta(hours=1)
    _page, task_state = submit_with_push(draft, editor, notify=False)
    assert str(approval_consequences(task_state)) == str(
        _("Approving publishes this version at once. No push notification is sent.")
    )
