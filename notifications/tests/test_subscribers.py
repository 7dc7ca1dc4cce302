import datetime

import pytest

from articles.enums import LifeStage
from notifications import kpi
from notifications.models import AppDevice, LineFollower, SubscriberStatus
from notifications.models.subscribers import add_months, mask, stage_for_months

TODAY = datetime.date(2026, 11, 27)


def months(n):
    return add_months(TODAY, n)


@pytest.mark.parametrize(
    ("due", "born", "expected"),
    [
        (months(9), None, LifeStage.PREGNANCY_EARLY),
        (months(6), None, LifeStage.PREGNANCY_EARLY),
        (months(5), None, LifeStage.PREGNANCY_MID),
        (months(3), None, LifeStage.PREGNANCY_MID),
        (months(2), None, LifeStage.PREGNANCY_LATE),
        (months(0), None, LifeStage.PREGNANCY_LATE),
        (months(-1), None, LifeStage.POSTPARTUM),
        (months(-5), None, LifeStage.AGE_0_1),
        (months(2), months(0), LifeStage.POSTPARTUM),
        (None, months(-2), LifeStage.AGE_0_1),
        (None, months(-11), LifeStage.AGE_0_1),
        (None, months(-12), LifeStage.AGE_1_3),
        (None, months(-35), LifeStage.AGE_1_3),
        (None, months(-36), LifeStage.AGE_3_6),
        (None, months(-71), LifeStage.AGE_3_6),
        (None, months(-72), None),
    ],
)
def test_stage_is_derived_from_due_or_birth_month(due, born, expected):
    assert stage_for_months(due_month=due, birth_month=born, today=TODAY) == expected


def test_derived_stage_advances_by_itself_as_months_pass():
    follower = LineFollower(line_user_id="U1")
    follower.set_life_stage(due_month=datetime.date(2027, 2, 14))

    assert follower.current_life_stage(TODAY) == LifeStage.PREGNANCY_MID
    assert follower.current_life_stage(datetime.date(2027, 1, 5)) == LifeStage.PREGNANCY_LATE
    assert follower.current_life_stage(datetime.date(2027, 6, 1)) == LifeStage.AGE_0_1
    assert follower.current_life_stage(datetime.date(2028, 3, 1)) == LifeStage.AGE_1_3


def test_explicit_stage_is_used_when_no_month_is_known():
    follower = LineFollower(line_user_id="U1")
    follower.set_life_stage(life_stage=LifeStage.AGE_1_3)

    assert follower.stage_chosen
    assert follower.current_life_stage(TODAY) == LifeStage.AGE_1_3


def _followers_for_every_case():
    followers = []
    for offset in range(-80, 12):
        followers.append(LineFollower(line_user_id=f"Udue{offset}"))
        followers[-1].set_life_stage(due_month=months(offset))
        followers.append(LineFollower(line_user_id=f"Uborn{offset}"))
        followers[-1].set_life_stage(birth_month=months(offset))
    for stage in LifeStage.values:
        followers.append(LineFollower(line_user_id=f"Ustage{stage}"))
        followers[-1].set_life_stage(life_stage=stage)
    followers.append(LineFollower(line_user_id="Unone"))
    return LineFollower.objects.bulk_create(followers)


@pytest.mark.portable
@pytest.mark.django_db
@pytest.mark.parametrize("stage", LifeStage.values)
def test_audience_query_agrees_with_the_derived_stage_of_every_follower(stage):
    followers = _followers_for_every_case()

    audience = LineFollower.objects.audience([stage], today=TODAY)
    in_audience = set(audience.values_list("line_user_id", flat=True))

    expected = {
        f.line_user_id for f in followers if not f.stage_chosen or f.current_life_stage(TODAY) == stage
    }
    assert in_audience == expected
    assert "Unone" in in_audience  # no stage chosen: receives every stage
    assert f"Ustage{stage}" in in_audience


@pytest.mark.django_db
def test_audience_for_several_stages_is_their_union():
    _followers_for_every_case()
    stages = [LifeStage.PREGNANCY_LATE, LifeStage.AGE_3_6]

    union = set(LineFollower.objects.audience(stages, today=TODAY))

    assert union == set(LineFollower.objects.audience(stages[:1], today=TODAY)) | set(
        LineFollower.objects.audience(stages[1:], today=TODAY)
    )


@pytest.mark.django_db
def test_audience_leaves_out_inactive_and_forgotten_followers_and_other_languages():
    LineFollower.objects.create(line_user_id="Uja")
    LineFollower.objects.create(line_user_id="Uen", language="en")
    LineFollower.objects.create(line_user_id="Uoff", status=SubscriberStatus.INACTIVE)
    LineFollower.objects.create(line_user_id=None, status=SubscriberStatus.ACTIVE)

    everyone = LineFollower.objects.audience()
    english = LineFollower.objects.audience(languages=["en"])

    assert sorted(everyone.values_list("line_user_id", flat=True)) == ["Uen", "Uja"]
    assert list(english.values_list("line_user_id", flat=True)) == ["Uen"]


@pytest.mark.django_db
def test_recipient_chunks_yield_every_recipient_once_in_bounded_chunks():
    LineFollower.objects.bulk_create(LineFollower(line_user_id=f"U{i:05d}") for i in range(1203))

    chunks = list(LineFollower.objects.audience().recipient_chunks(chunk_size=500))

    assert [len(chunk) for chunk in chunks] == [500, 500, 203]
    ids = [user_id for chunk in chunks for _pk, user_id, _language in chunk]
    assert len(ids) == len(set(ids)) == 1203


@pytest.mark.django_db
def test_unregistered_tokens_are_deactivated_and_forgotten():
    AppDevice.objects.create(token="a" * 30, platform="ios")
    AppDevice.objects.create(token="b" * 30, platform="android")

    count = AppDevice.objects.deactivate_tokens(["a" * 30, "unknown"])

    assert count == 1
    gone = AppDevice.objects.get(status=SubscriberStatus.INACTIVE)
    assert gone.token is None
    assert gone.deactivated_at is not None
    assert list(AppDevice.objects.audience().values_list("token", flat=True)) == ["b" * 30]


@pytest.mark.django_db
def test_registrants_count_active_followers_and_active_devices_only():
    LineFollower.objects.create(line_user_id="U1")
    LineFollower.objects.create(line_user_id=None, status=SubscriberStatus.INACTIVE)
    AppDevice.objects.create(token="a" * 30, platform="ios")
    AppDevice.objects.create(token=None, platform="ios", status=SubscriberStatus.INACTIVE)

    assert kpi.registrants() == 2


def test_mask_keeps_only_four_characters():
    assert mask("U1234567890abcdef") == "U123…"
    assert mask(None) == "-"
