"""The sample series loaded by ``load_demo_content``: once, live, approved, pregnancy to age 3."""

import io

import pytest

from django.core.management import call_command

from milestones.enums import Moment
from milestones.models import MessageSeriesPage, TimedMessage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def loaded(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("load_demo_content", stdout=io.StringIO())


def test_the_sample_series_is_loaded_once(loaded):
    call_command("load_demo_content", stdout=io.StringIO())
    assert MessageSeriesPage.objects.count() == 1
    assert TimedMessage.objects.count() >= 12


def test_the_sample_series_runs_from_early_pregnancy_to_age_3_linking_to_live_articles(loaded):
    from notifications.services import skip_reason_for

    series = MessageSeriesPage.objects.get()
    assert series.live and "【サンプル】" in series.title
    assert skip_reason_for(series) == ""  # its messages are approved on the live revision
    timeline = series.timeline()
    assert len(timeline) >= 12
    assert (timeline[0].moment, timeline[0].months) == (Moment.PREGNANCY, 8)
    assert (timeline[-1].moment, timeline[-1].months) == (Moment.AGE, 36)
    for message in timeline:
        assert message.text.startswith("【サンプル】")
        assert message.target is not None and message.target.live
        assert message.target.specific_class.__name__ == "ArticlePage"


def test_the_sample_messages_link_the_japanese_articles_not_their_translations(loaded):
    timeline = MessageSeriesPage.objects.get().timeline()
    assert {message.target.locale.language_code for message in timeline} == {"ja"}
