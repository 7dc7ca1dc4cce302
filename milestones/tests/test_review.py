"""Every timed message is written for parents, so every version of a series is reviewed by its
physician: no box decides it, an administrator cannot rewrite an approved series and publish it
unreviewed, and the linked article's approval never stands in for a message's own words."""

import pytest

from django.core.exceptions import ValidationError

from articles.gate import UnapprovedRevisionError
from milestones.enums import Moment
from milestones.models import MessageSeriesPage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def message(make_article):
    return {
        "text": "【サンプル】5か月。離乳食の記事です。",
        "target": make_article(),
        "moment": Moment.AGE,
        "months": 5,
    }


def test_a_series_of_plain_messages_needs_its_physicians_approval_to_go_live(make_series, message):
    series = make_series([message], publish=False)

    assert series.requires_physician_approval() is True
    with pytest.raises(UnapprovedRevisionError):
        series.save_revision().publish()
    assert not MessageSeriesPage.objects.get(pk=series.pk).live


def test_the_linked_articles_approval_does_not_stand_in_for_the_messages_words(make_series, message):
    from notifications.services import skip_reason_for

    series = make_series([message], publish=False)

    assert skip_reason_for(message["target"]) == ""
    with pytest.raises(UnapprovedRevisionError):
        series.save_revision().publish()


def test_an_administrator_cannot_rewrite_an_approved_series_and_publish_it_unreviewed(
    make_series, message, admin_user
):
    series = make_series([message])
    approved_revision_id = series.live_revision_id
    draft = series.get_latest_revision_as_object()
    draft.messages.first().text = "【サンプル】熱が出たら解熱剤を半錠（未承認の書き換え）"
    revision = draft.save_revision(user=admin_user)

    with pytest.raises(UnapprovedRevisionError):
        revision.publish(user=admin_user)

    series = MessageSeriesPage.objects.get(pk=series.pk)
    assert series.live_revision_id == approved_revision_id
    assert [m.text for m in series.messages.all()] == [message["text"]]


def test_a_series_needs_its_reviewing_physician(make_series, message):
    series = make_series([message], publish=False)
    series.physician = None

    with pytest.raises(ValidationError) as error:
        series.full_clean()

    assert "physician" in error.value.message_dict
