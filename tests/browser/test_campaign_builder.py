"""An editor builds a campaign in Chromium, fills its push plan from the preset and submits it."""

import re

import pytest

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, WorkflowState

from articles.workflows import MEDICAL_REVIEW_WORKFLOW

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def editor(django_user_model, campaign_index):
    group, _ = Group.objects.get_or_create(name="Campaign editors (sample)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    # Every campaign names its reviewing physician, chosen from the physicians' snippets.
    group.permissions.add(Permission.objects.get(codename="view_physician"))
    for permission in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=campaign_index, permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("sample-editor", "editor@example.jp", "sample-password")
    user.groups.add(group)
    return user


@pytest.fixture
def physician(db):
    from articles.factories import PhysicianFactory

    return PhysicianFactory(name="【サンプル】医師")


@pytest.fixture
def campaign_index(db):
    from wagtail.models import Page, Site

    from campaigns.factories import CampaignIndexPageFactory
    from home.models import HomePage

    home_page = HomePage(title="おやこハブ（サンプル）", slug="oyako")
    Page.get_first_root_node().add_child(instance=home_page)
    Site.objects.filter(is_default_site=True).update(root_page=home_page)
    return CampaignIndexPageFactory(parent=home_page)


def test_editor_builds_a_campaign_fills_its_plan_from_the_preset_and_submits_it(
    live_server, editor, campaign_index, physician, browser_page
):
    from campaigns.models import CampaignPage

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "sample-editor")
    page.fill("#id_password", "sample-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/add/campaigns/campaignpage/{campaign_index.pk}/")
    # Wagtail's editor scripts (widgets, unsaved-changes tracking) attach after the page loads;
    # fields filled before they do can be reset, and the form then does not submit.
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "【サンプル】こどもまんなか月間2099")
    page.fill("#id_theme", "【サンプル】こどもを、まんなかに。")
    page.fill("#id_start_date", "2099-05-01")
    page.fill("#id_end_date", "2099-05-14")
    page.locator("#id_physician-chooser [data-chooser-action-choose]").click()
    page.locator(".modal-content").get_by_role("link", name=re.compile("サンプル】医師")).first.click()
    page.wait_for_function("document.getElementById('id_physician').value !== ''")
    page.click("#id_events-ADD")
    page.fill("#id_events-0-name", "【サンプル】公園フェスタ")
    page.fill("#id_events-0-starts_at", "2099-05-09 10:00")
    page.fill("#id_events-0-venue", "【サンプル】中央公園")
    page.fill("#id_events-0-address", "【サンプル】上尾市本町1-1")
    page.fill("#id_events-0-accessibility", "【サンプル】段差のない経路があります。")

    # Creating the campaign and its whole plan in one request can take longer than the default
    # 20 s on a busy 2-core machine.
    with page.expect_navigation(url="**/admin/pages/*/edit/", wait_until="domcontentloaded", timeout=60_000):
        page.click("[data-campaign-fill-preset]")

    # The plan now holds the preset: Tue/Fri evenings, and the eve and morning of the event.
    campaign = CampaignPage.objects.get(title="【サンプル】こどもまんなか月間2099")
    # 1 May 2099 is a Friday; the event's eve (Friday 8 May) replaces that week's Friday push.
    send_ats = [page.input_value(f"#id_planned_pushes-{i}-send_at") for i in range(5)]
    assert send_ats == [
        "2099-05-01 19:00",
        "2099-05-05 19:00",
        "2099-05-08 19:00",
        "2099-05-09 08:00",
        "2099-05-12 19:00",
    ]
    assert page.locator("#id_planned_pushes-5-send_at").count() == 0

    # The editor edits one of them, then submits the campaign for approval.
    page.fill("#id_planned_pushes-0-text", "【サンプル】こどもまんなか月間がはじまります。")
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("button[name=action-submit]")

    campaign.refresh_from_db()
    state = WorkflowState.objects.for_instance(campaign).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == MEDICAL_REVIEW_WORKFLOW  # every campaign's words are reviewed
    assert not campaign.live
    draft = campaign.get_latest_revision_as_object()
    texts = [item.text for item in draft.planned_pushes.all()]
    assert texts[0] == "【サンプル】こどもまんなか月間がはじまります。"
    assert len(texts) == 5
