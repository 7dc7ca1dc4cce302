import datetime

from django.utils import timezone

from campaigns.presets import PresetEvent, preset_rhythm

from .conftest import tokyo

MAY_2027 = {"title": "【サンプル】こどもまんなか月間", "start_date": datetime.date(2027, 5, 1)}


def local_times(pushes):
    return [timezone.localtime(p.send_at).strftime("%m-%d %a %H:%M") for p in pushes]


def test_preset_sends_twice_a_week_on_tuesday_and_friday_evenings():
    pushes = preset_rhythm(**MAY_2027, end_date=datetime.date(2027, 5, 14), now=tokyo(2027, 4, 1))

    assert local_times(pushes) == [
        "05-04 Tue 19:00",
        "05-07 Fri 19:00",
        "05-11 Tue 19:00",
        "05-14 Fri 19:00",
    ]
    assert all(p.kind == "weekly" for p in pushes)


def test_preset_adds_the_eve_and_the_morning_of_each_event():
    event = PresetEvent(
        name="【サンプル】公園フェスタ", starts_at=tokyo(2027, 5, 16, 10), venue="【サンプル】中央公園"
    )

    pushes = preset_rhythm(
        **MAY_2027, end_date=datetime.date(2027, 5, 31), events=[event], now=tokyo(2027, 4, 1)
    )

    by_time = {timezone.localtime(p.send_at).strftime("%m-%d %H:%M"): p for p in pushes}
    assert by_time["05-15 19:00"].kind == "event_eve"
    assert by_time["05-16 08:00"].kind == "event_morning"
    assert "【サンプル】公園フェスタ" in by_time["05-16 08:00"].text
    assert "10:00" in by_time["05-16 08:00"].text


def test_event_eve_on_a_push_evening_replaces_the_weekly_push():
    friday_event = PresetEvent(name="【サンプル】フェスタ", starts_at=tokyo(2027, 5, 8, 10))

    pushes = preset_rhythm(
        **MAY_2027, end_date=datetime.date(2027, 5, 8), events=[friday_event], now=tokyo(2027, 4, 1)
    )

    assert local_times(pushes) == ["05-04 Tue 19:00", "05-07 Fri 19:00", "05-08 Sat 08:00"]
    assert pushes[1].kind == "event_eve"


def test_preset_leaves_out_times_already_past():
    pushes = preset_rhythm(**MAY_2027, end_date=datetime.date(2027, 5, 14), now=tokyo(2027, 5, 7, 19))

    assert local_times(pushes) == ["05-11 Tue 19:00", "05-14 Fri 19:00"]


def test_preset_follows_any_period_not_only_may():
    pushes = preset_rhythm(
        title="【サンプル】秋の健診週間",
        start_date=datetime.date(2027, 10, 1),
        end_date=datetime.date(2027, 10, 7),
        now=tokyo(2027, 4, 1),
    )

    assert local_times(pushes) == ["10-01 Fri 19:00", "10-05 Tue 19:00"]


def test_preset_times_are_tokyo_times():
    [first, *_] = preset_rhythm(**MAY_2027, end_date=datetime.date(2027, 5, 4), now=tokyo(2027, 4, 1))

    assert first.send_at == datetime.datetime(2027, 5, 4, 10, 0, tzinfo=datetime.UTC)
