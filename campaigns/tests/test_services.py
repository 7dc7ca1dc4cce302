import datetime

import pytest
import time_machine

from django.core import mail

from articles.factories import MedicalReviewerFactory, publish_approved
from campaigns.enums import DispatchStatus
from campaigns.models import PushDispatch
from campaigns.services import cancel_late_push, confirm_late_push, dispatch_due_pushes

from .conftest import approve, make_physician, tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def push(when, text="【サンプル】お知らせ", **kwargs):
    return {"send_at": when, "text": text, **kwargs}


def test_only_pushes_whose_time_has_come_are_handed_to_the_pipeline(make_campaign, pipeline):
    campaign = make_campaign(pushes=[push(tokyo(2027, 5, 4, 19)), push(tokyo(2027, 5, 7, 19))])

    dispatched = dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 0, 30))

    assert [d.due_at for d in dispatched] == [tokyo(2027, 5, 4, 19)]
    [call] = pipeline.calls
    first = campaign.planned_pushes.get(send_at=tokyo(2027, 5, 4, 19))
    assert call["source"] == f"campaign-push:{first.pk}"
    assert call["page"].pk == campaign.pk
    assert call["title"] == campaign.title
    assert call["lateness"] == datetime.timedelta(seconds=30)


def test_a_due_push_is_handed_over_once_however_often_the_beat_runs(make_campaign, pipeline):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))])

    for minute in range(3):
        dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, minute))

    assert len(pipeline.calls) == 1
    assert PushDispatch.objects.get().status == DispatchStatus.ISSUED


def test_audience_and_target_article_are_passed_to_the_pipeline(make_campaign, make_article, pipeline):
    article = make_article()
    make_campaign(
        featured=[article],
        pushes=[
            push(
                tokyo(2027, 5, 4, 19),
                target_article=article,
                life_stages=["age_0_1", "age_1_3"],
                languages=["en"],
            )
        ],
    )

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))

    [call] = pipeline.calls
    assert call["page"].pk == article.pk
    assert call["revision"].pk == article.live_revision_id
    assert call["life_stages"] == ["age_0_1", "age_1_3"]
    assert call["languages"] == ["en"]


def test_empty_audience_means_everyone(make_campaign, pipeline):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))])

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))

    assert pipeline.calls[0]["life_stages"] is None
    assert pipeline.calls[0]["languages"] is None


def test_push_of_an_unpublished_campaign_is_skipped_and_the_editor_is_emailed(
    make_campaign, pipeline, run_email_tasks_inline, django_capture_on_commit_callbacks
):
    campaign = make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))], publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))

    dispatch = PushDispatch.objects.get()
    assert dispatch.status == DispatchStatus.SKIPPED
    assert dispatch.skip_reason
    [message] = mail.outbox
    assert message.to == ["editor@example.jp"]
    assert campaign.title in message.subject
    assert dispatch.skip_reason in message.body


def test_skip_email_is_sent_once_even_if_the_task_runs_twice(make_campaign, pipeline):
    from campaigns.tasks import email_editors

    make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))], publish=False)
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))
    dispatch = PushDispatch.objects.get()

    email_editors(dispatch.pk)
    email_editors(dispatch.pk)

    assert len(mail.outbox) == 1


def test_featured_article_push_of_an_unpublished_campaign_is_not_sent(make_campaign, make_article, pipeline):
    article = make_article()
    campaign = make_campaign(
        featured=[article], pushes=[push(tokyo(2027, 5, 4, 19), target_article=article)], publish=False
    )

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))

    # The campaign is handed over as the target, so the pipeline records why it was skipped.
    assert pipeline.calls[0]["page"].pk == campaign.pk
    assert PushDispatch.objects.get().status == DispatchStatus.SKIPPED


def test_medical_campaign_past_its_review_date_is_not_announced(make_campaign, make_article, pipeline):
    article = make_article()
    campaign = make_campaign(
        featured=[article],
        pushes=[push(tokyo(2027, 5, 4, 19), target_article=article)],
        physician=make_physician(),
        publish=False,
    )
    revision = campaign.latest_revision
    approve(revision, campaign.physician, reviewed_on=datetime.date(2025, 4, 1))
    revision.publish()

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))

    # Its approval ran out (next review was due 2026-04-01): the campaign is handed over as the
    # target, so the pipeline skips the push and says why.
    assert pipeline.calls[0]["page"].pk == campaign.pk
    assert PushDispatch.objects.get().status == DispatchStatus.SKIPPED


def test_approved_medical_campaign_is_announced(make_campaign, make_article, pipeline):
    article = make_article()
    campaign = make_campaign(
        featured=[article],
        pushes=[push(tokyo(2027, 5, 4, 19), target_article=article)],
        physician=make_physician(),
        publish=False,
    )
    revision = campaign.latest_revision
    approve(revision, campaign.physician)
    revision.publish()

    with time_machine.travel(tokyo(2027, 5, 4, 19, 1), tick=False):
        dispatch_due_pushes()

    assert pipeline.calls[0]["page"].pk == article.pk
    assert PushDispatch.objects.get().status == DispatchStatus.ISSUED


def test_push_found_too_late_waits_for_an_editor(
    make_campaign, pipeline, run_email_tasks_inline, django_capture_on_commit_callbacks
):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 8))])

    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_pushes(now=tokyo(2027, 5, 4, 14, 1))

    dispatch = PushDispatch.objects.get()
    assert dispatch.status == DispatchStatus.AWAITING_CONFIRMATION
    assert dispatch.lateness == datetime.timedelta(hours=6, minutes=1)
    assert pipeline.calls == []
    assert len(mail.outbox) == 1


def test_push_late_within_the_limit_goes_out_with_its_lateness(make_campaign, pipeline):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 8))])

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 14))

    assert pipeline.calls[0]["lateness"] == datetime.timedelta(hours=6)
    assert PushDispatch.objects.get().lateness == datetime.timedelta(hours=6)


def test_max_lateness_is_configurable(make_campaign, pipeline, settings):
    settings.CAMPAIGNS_MAX_LATENESS = datetime.timedelta(minutes=30)
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 8))])

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 8, 31))

    assert PushDispatch.objects.get().status == DispatchStatus.AWAITING_CONFIRMATION


def test_confirmed_late_push_is_sent_once(make_campaign, pipeline):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 8))])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()

    assert confirm_late_push(dispatch, make_campaign.editor, now=tokyo(2027, 5, 4, 21)) is True
    assert confirm_late_push(dispatch, make_campaign.editor, now=tokyo(2027, 5, 4, 21, 5)) is False

    [call] = pipeline.calls
    assert call["requested_by"] == make_campaign.editor
    assert call["lateness"] == datetime.timedelta(hours=13)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.ISSUED
    assert dispatch.confirmed_by == make_campaign.editor


def test_cancelled_late_push_is_never_sent(make_campaign, pipeline):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 8))])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()

    assert cancel_late_push(dispatch, make_campaign.editor) is True
    assert confirm_late_push(dispatch, make_campaign.editor) is False
    dispatch_due_pushes(now=tokyo(2027, 5, 5, 8))

    assert pipeline.calls == []


def test_edited_push_sends_the_edited_text_at_the_edited_time(make_campaign, pipeline):
    campaign = make_campaign(pushes=[push(tokyo(2027, 5, 4, 19), text="【サンプル】元の文")])
    item = campaign.planned_pushes.get()
    item.text = "【サンプル】直した文"
    item.send_at = tokyo(2027, 5, 5, 19)
    item.save()

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))
    assert pipeline.calls == []
    dispatch_due_pushes(now=tokyo(2027, 5, 5, 19, 1))

    assert [call["text"] for call in pipeline.calls] == ["【サンプル】直した文"]


def test_deleted_push_is_not_sent(make_campaign, pipeline):
    campaign = make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))])
    campaign.planned_pushes.get().delete()

    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))

    assert pipeline.calls == []


def test_pipeline_error_leaves_the_push_due_for_the_next_run(make_campaign, pipeline, monkeypatch):
    make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))])

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("campaigns.services.issue_notification", broken)
    with pytest.raises(RuntimeError):
        dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))
    assert not PushDispatch.objects.exists()

    monkeypatch.setattr("campaigns.services.issue_notification", pipeline)
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 2))
    assert len(pipeline.calls) == 1


def test_beat_task_uses_the_current_time(make_campaign, pipeline):
    from campaigns.tasks import send_due_pushes

    make_campaign(pushes=[push(tokyo(2027, 5, 4, 19)), push(tokyo(2027, 5, 7, 19))])

    with time_machine.travel(tokyo(2027, 5, 5, 0), tick=False):
        assert send_due_pushes() == 1


def test_beat_schedule_runs_the_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["campaigns-send-due-pushes"]
    assert entry["task"] == "campaigns.tasks.send_due_pushes"
    assert entry["schedule"] == 60.0
    assert datetime.timedelta(hours=6) == settings.CAMPAIGNS_MAX_LATENESS


def test_a_translated_campaigns_copied_plan_is_not_pushed_again(make_campaign, pipeline):
    """wagtail-localize copies the plan into the translation; only the source's plan is dispatched."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    campaign = make_campaign(pushes=[push(tokyo(2027, 5, 4, 19))])
    english = Locale.objects.get_or_create(language_code="en")[0]
    source, _created = TranslationSource.get_or_create_from_instance(campaign)
    Translation.objects.create(source=source, target_locale=english).save_target(publish=False)
    translated = campaign.get_translation(english).specific
    # Its medical translator signs it off, as every campaign translation is.
    publish_approved(translated, reviewer=MedicalReviewerFactory(languages=["en"]))
    assert translated.live and translated.planned_pushes.count() == 1

    dispatched = dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 0, 30))

    assert [d.plan_item_id for d in dispatched] == [campaign.planned_pushes.get().pk]
    assert [call["source"] for call in pipeline.calls] == [
        f"campaign-push:{campaign.planned_pushes.get().pk}"
    ]
