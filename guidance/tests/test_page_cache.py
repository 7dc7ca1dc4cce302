"""The page cache never shows a parent a service's old details or an open/closed state that has passed."""

import datetime

import pytest
import time_machine

from guidance.factories import OpeningPeriodFactory, weekday_service
from guidance.hours import TOKYO
from guidance.models import ConsultationService
from guidance.moments import opening_moments
from pagecache import invalidation

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

HELP_PAGES = ["/help/", "/en/help/"]
# Monday 4 October 2027 in Tokyo; Monday 11 October is Sports Day, a national holiday.
MONDAY = datetime.date(2027, 10, 4)


def at(day, hour, minute=0, second=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=TOKYO)


def _rename_behind_the_cache(service, name):
    """Change the database without any signal, as only a cache would hide."""
    ConsultationService.objects.filter(pk=service.pk).update(name=name)


def _page(client, path):
    return client.get(path).content.decode()


@pytest.mark.parametrize("path", HELP_PAGES)
def test_an_edited_service_shows_on_the_next_get(client, path, django_capture_on_commit_callbacks):
    service = weekday_service(name="【サンプル】助産師相談")
    assert "【サンプル】助産師相談" in _page(client, path)
    _rename_behind_the_cache(service, "【サンプル】隠れた変更")
    assert "【サンプル】隠れた変更" not in _page(client, path)  # the page is served from the cache

    service.name = "【サンプル】助産師オンライン相談"
    with django_capture_on_commit_callbacks(execute=True):
        service.save()

    assert "【サンプル】助産師オンライン相談" in _page(client, path)


def test_changed_hours_show_on_the_next_get(client, django_capture_on_commit_callbacks):
    with time_machine.travel(at(MONDAY, 10), tick=False):
        service = weekday_service(name="【サンプル】助産師相談")
        assert "受付中 · 17:00まで" in _page(client, "/help/")
        with django_capture_on_commit_callbacks(execute=True):
            service.hours.update(closes=datetime.time(12))  # no signal: only the next save clears
            OpeningPeriodFactory(service=service, weekday=5)
        assert "受付中 · 12:00まで" in _page(client, "/help/")


@pytest.mark.parametrize("path", HELP_PAGES)
def test_a_page_cached_while_closed_shows_the_service_open_after_it_opens(client, path):
    service = weekday_service(name="【サンプル】平日の相談")
    with time_machine.travel(at(MONDAY, 8, 30), tick=False):
        assert 'data-open="false"' in _page(client, path)
        _rename_behind_the_cache(service, "【サンプル】隠れた変更")
    with time_machine.travel(at(MONDAY, 8, 59, 59), tick=False):
        assert "隠れた変更" not in _page(client, path)  # still cached: nothing changed yet
    with time_machine.travel(at(MONDAY, 9, 0, 1), tick=False):
        html = _page(client, path)
    assert 'data-open="true"' in html
    assert "隠れた変更" in html


@pytest.mark.parametrize("path", HELP_PAGES)
def test_a_page_cached_while_open_shows_the_service_closed_after_it_closes(client, path):
    weekday_service(name="【サンプル】平日の相談")
    with time_machine.travel(at(MONDAY, 16, 30), tick=False):
        assert 'data-open="true"' in _page(client, path)
    with time_machine.travel(at(MONDAY, 17, 0, 1), tick=False):
        html = _page(client, path)
    assert 'data-open="false"' in html
    assert 'data-open="true"' not in html


def test_an_article_with_a_service_block_shows_it_open_after_it_opens(client, make_article):
    service = weekday_service(name="【サンプル】産後こころの相談")
    article = make_article(
        title="【サンプル】産後の気分の落ち込み",
        body=[("paragraph", "<p>【サンプル】本文</p>"), ("service", {"service": service})],
    )
    with time_machine.travel(at(MONDAY, 8, 30), tick=False):
        assert 'data-open="false"' in client.get(article.url).content.decode()
    with time_machine.travel(at(MONDAY, 9, 0, 1), tick=False):
        assert 'data-open="true"' in client.get(article.url).content.decode()


def test_the_next_moment_skips_a_national_holiday():
    weekday_service()
    friday_evening = at(MONDAY + datetime.timedelta(days=4), 18)
    # Monday 11 October is a holiday: the service next opens on Tuesday the 12th.
    assert opening_moments(friday_evening) == [at(datetime.date(2027, 10, 12), 9)]


def test_the_next_moment_skips_the_year_end_closure():
    weekday_service(year_end_closed=True)
    assert opening_moments(at(datetime.date(2027, 12, 28), 12)) == [at(datetime.date(2027, 12, 28), 17)]
    # Closed 29 December to 3 January; 4 January 2028 is a Tuesday.
    assert opening_moments(at(datetime.date(2027, 12, 28), 18)) == [at(datetime.date(2028, 1, 4), 9)]


def test_the_earliest_service_change_is_the_cache_moment():
    weekday_service()
    weekday_service(opens=datetime.time(13), closes=datetime.time(15))
    with time_machine.travel(at(MONDAY, 12), tick=False):
        assert invalidation.next_moment() == at(MONDAY, 13)
