"""The campaign editor, through Wagtail's own create and edit views."""

import datetime

import pytest
import time_machine

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from campaigns.enums import DispatchStatus
from campaigns.forms import SENT_PUSH_IS_READ_ONLY
from campaigns.models import CampaignPage, PushDispatch

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

NOW = tokyo(2027, 4, 20, 10)


@pytest.fixture(autouse=True)
def april_2027():
    """Every test here edits a May 2027 campaign in April 2027, whatever today's date is."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin_client(client, django_user_model, settings):
    # The clock is moved to May 2027 in some tests: keep the session valid across the jump.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    user = django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw")
    client.force_login(user)
    return client


def latest(campaign):
    """The campaign as its newest revision has it (drafts included)."""
    return CampaignPage.objects.get(pk=campaign.pk).get_latest_revision_as_object()


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def push_form(item=None, **overrides):
    data = {
        "send_at": local(item.send_at) if item else "2027-05-04 19:00",
        "text": item.text if item else "【サンプル】お知らせ",
        "target_article": (item.target_article_id or "") if item else "",
        "life_stages": list(item.life_stages) if item else [],
        "languages": list(item.languages) if item else [],
    }
    if item:
        data["id"] = item.pk
    data.update(overrides)
    return data


def campaign_form(campaign=None, *, pushes=(), events=(), featured=(), initial_pushes=0, **overrides):
    # nested_form_data flattens lists into numbered keys; multiple-choice values are set after it.
    lists = {"featured_articles": [article.pk for article in featured]}
    pushes = [dict(p) for p in pushes]
    for index, push in enumerate(pushes):
        for name in ("life_stages", "languages"):
            lists[f"planned_pushes-{index}-{name}"] = push.pop(name, [])
    data = {
        "title": campaign.title if campaign else "【サンプル】こどもまんなか月間",
        "slug": campaign.slug if campaign else "kodomo-mannaka",
        "theme": "【サンプル】こどもを、まんなかに。",
        "start_date": "2027-05-01",
        "end_date": "2027-05-31",
        "body": streamfield([]),
        "physician": str(campaign.physician_id) if campaign and campaign.physician_id else "",
        "events": inline_formset(list(events), initial=len([e for e in events if "id" in e])),
        "planned_pushes": inline_formset(list(pushes), initial=initial_pushes),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return {**nested_form_data(data), **lists}


def event_form(**overrides):
    data = {
        "name": "【サンプル】こどもまんなかフェスタ",
        "starts_at": "2027-05-15 10:00",
        "ends_at": "2027-05-15 15:00",
        "venue": "【サンプル】中央公園",
        "address": "【サンプル】上尾市本町1-1",
        "map_url": "",
        "what_to_bring": "",
        "accessibility": "",
        "how_to_join": "",
    }
    data.update(overrides)
    return data


def test_preset_button_fills_the_plan_of_a_new_campaign(admin_client, campaign_index):
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "campaignpage", campaign_index.pk])
    from articles.factories import PhysicianFactory

    data = campaign_form(events=[event_form()], physician=str(PhysicianFactory().pk))
    data["fill_push_plan"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    campaign = CampaignPage.objects.get(slug="kodomo-mannaka")
    assert not campaign.live
    times = [local(item.send_at) for item in latest(campaign).planned_pushes.all()]
    assert "2027-05-04 19:00" in times  # first Tuesday
    assert "2027-05-07 19:00" in times  # first Friday
    assert "2027-05-14 19:00" in times  # eve of the event (and a Friday: one push only)
    assert "2027-05-15 08:00" in times  # morning of the event
    assert times == sorted(times)
    assert len(times) == len(set(times))


def test_preset_keeps_the_pushes_the_editor_already_planned(admin_client, make_campaign):
    campaign = make_campaign(
        pushes=[{"send_at": tokyo(2027, 5, 4, 19), "text": "【サンプル】自分で書いた文"}]
    )
    item = campaign.planned_pushes.get()
    data = campaign_form(campaign, pushes=[push_form(item)], initial_pushes=1)
    data["fill_push_plan"] = "on"

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[campaign.pk]), data)

    assert response.status_code == 302
    draft = latest(campaign)
    texts = {local(i.send_at): i.text for i in draft.planned_pushes.all()}
    assert texts["2027-05-04 19:00"] == "【サンプル】自分で書いた文"
    assert "2027-05-07 19:00" in texts


def test_edit_page_offers_the_preset_button(admin_client, make_campaign):
    campaign = make_campaign()

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[campaign.pk]))

    assert b'name="fill_push_plan"' in response.content
    assert reverse("campaigns_report", args=[campaign.pk]).encode() in response.content


def test_unapproved_article_cannot_be_featured(admin_client, make_campaign, make_article):
    campaign = make_campaign()
    draft_article = make_article(publish=False)

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, featured=[draft_article]),
    )

    assert response.status_code == 200
    assert "featured_articles" in response.context["form"].errors
    campaign.refresh_from_db()
    assert latest(campaign).featured_articles.count() == 0


def test_featured_article_choices_are_only_approved_live_articles(admin_client, make_campaign, make_article):
    campaign = make_campaign()
    approved = make_article(title="【サンプル】承認済み")
    draft = make_article(title="【サンプル】下書き", publish=False)

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[campaign.pk]))

    choices = set(response.context["form"].fields["featured_articles"].queryset.values_list("pk", flat=True))
    assert approved.pk in choices
    assert draft.pk not in choices


def test_push_cannot_link_to_an_unfeatured_article(admin_client, make_campaign, make_article):
    campaign = make_campaign()
    article = make_article()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, pushes=[push_form(target_article=article.pk)]),
    )

    assert response.status_code == 200
    push_errors = response.context["form"].formsets["planned_pushes"].forms[0].errors
    assert "target_article" in push_errors


def test_push_may_link_to_a_featured_article(admin_client, make_campaign, make_article):
    campaign = make_campaign()
    article = make_article()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, featured=[article], pushes=[push_form(target_article=article.pk)]),
    )

    assert response.status_code == 302
    [item] = latest(campaign).planned_pushes.all()
    assert item.target_article_id == article.pk


def test_push_text_is_limited_to_120_characters(admin_client, make_campaign):
    campaign = make_campaign()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, pushes=[push_form(text="あ" * 121)]),
    )

    assert response.status_code == 200
    assert "text" in response.context["form"].formsets["planned_pushes"].forms[0].errors


@pytest.fixture
def sent_push(make_campaign):
    campaign = make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 19), "text": "【サンプル】送信済み"}])
    item = campaign.planned_pushes.get()
    PushDispatch.objects.create(
        plan_item_id=item.pk,
        campaign=campaign,
        status=DispatchStatus.ISSUED,
        due_at=item.send_at,
        text=item.text,
        claimed_at=item.send_at,
        lateness=datetime.timedelta(0),
    )
    return campaign, item


def test_sent_push_cannot_be_edited(admin_client, sent_push):
    campaign, item = sent_push

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, pushes=[push_form(item, text="【サンプル】書き換え")], initial_pushes=1),
    )

    assert response.status_code == 200
    assert str(SENT_PUSH_IS_READ_ONLY) in response.context["form"].non_field_errors()
    assert latest(campaign).planned_pushes.get().text == "【サンプル】送信済み"


def test_sent_push_cannot_be_deleted(admin_client, sent_push):
    campaign, item = sent_push

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, pushes=[push_form(item, DELETE="1")], initial_pushes=1),
    )

    assert response.status_code == 200
    assert latest(campaign).planned_pushes.count() == 1


def test_campaign_with_a_sent_push_can_still_be_edited_elsewhere(admin_client, sent_push):
    campaign, item = sent_push

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(
            campaign,
            pushes=[push_form(item), push_form(send_at="2027-05-07 19:00", text="【サンプル】追加")],
            initial_pushes=1,
        ),
    )

    assert response.status_code == 302
    assert latest(campaign).planned_pushes.count() == 2


def test_every_campaign_needs_a_physician(admin_client, make_campaign):
    campaign = make_campaign()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]), campaign_form(campaign, physician="")
    )

    assert response.status_code == 200
    assert "physician" in response.context["form"].errors


def test_push_audience_is_saved_from_the_checkboxes(admin_client, make_campaign):
    campaign = make_campaign()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(
            campaign, pushes=[push_form(life_stages=["age_0_1", "pregnancy_late"], languages=["en"])]
        ),
    )

    assert response.status_code == 302
    [item] = latest(campaign).planned_pushes.all()
    assert sorted(item.life_stages) == ["age_0_1", "pregnancy_late"]
    assert item.languages == ["en"]


def test_push_audience_refuses_an_unknown_life_stage(admin_client, make_campaign):
    campaign = make_campaign()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, pushes=[push_form(life_stages=["teenager"])]),
    )

    assert response.status_code == 200
    assert "life_stages" in response.context["form"].formsets["planned_pushes"].forms[0].errors


def test_push_cannot_be_planned_in_the_past(admin_client, make_campaign):
    campaign = make_campaign()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        campaign_form(campaign, pushes=[push_form(send_at="2027-04-19 19:00")]),
    )

    assert response.status_code == 200
    assert "send_at" in response.context["form"].formsets["planned_pushes"].forms[0].errors
