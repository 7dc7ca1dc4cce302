"""The demo loader adds the approved Japanese instrument (approved by the demo physician, not its
author), the English one waiting for review, routed bands and a month of checks, once."""

import io

import pytest

from django.core.management import call_command

from guidance.models import WordsApproval
from screening.flow import instrument_for
from screening.models import CheckRecord, Instrument, KeptResult, ScoreBand

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")


def counts():
    return (
        Instrument.objects.count(),
        CheckRecord.objects.count(),
        KeptResult.objects.count(),
        WordsApproval.objects.count(),
    )


def test_the_demo_self_check_is_approved_routed_and_loads_once(settings):
    settings.DEMO_USERS_ALLOWED = True
    call_command("load_demo_content", stdout=io.StringIO())
    words = instrument_for("ja")
    assert words is not None and not words.fallback
    assert "【サンプル文・精神科医の承認待ち】" in words.words.intro
    approval = WordsApproval.objects.get(revision_id=words.revision_id)
    assert approval.approved_by_id != approval.revision.user_id
    # English is written but waits for its review: an English family gets the Japanese words.
    assert Instrument.objects.filter(locale__language_code="en", live=False).exists()
    assert instrument_for("en").fallback
    assert all(band.service_id for band in ScoreBand.objects.exclude(route="reading"))
    assert ScoreBand.objects.get(level=1).article_1_id
    assert CheckRecord.objects.count() > 40 and KeptResult.objects.filter(follows__isnull=False).exists()
    before = counts()
    call_command("load_demo_content", stdout=io.StringIO())
    assert counts() == before
