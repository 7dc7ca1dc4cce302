"""Webhook events about one user take effect in timestamp order, whatever order their tasks run in,
and what that needs holds no LINE user ID."""

import datetime
import json
import threading

import pytest
import time_machine

from django.db import OperationalError, connections, transaction
from django.utils import timezone

from notifications import kpi, tasks
from notifications.models import LineFollower, LineUserClock, SubscriberStatus
from notifications.tests import line_bodies as lb

pytestmark = pytest.mark.portable

T0 = 1_790_000_000_000


@pytest.fixture(autouse=True)
def no_follow_up_tasks(monkeypatch):
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: None)
    monkeypatch.setattr(tasks.send_choice_confirmation, "delay", lambda pk, token: None)


def _run(*event_list):
    """One webhook body's task, as the worker runs it: a separate task per body."""
    for event in event_list:
        lb.body(event)  # every event the test sends is valid against webhook.yml
    tasks.handle_line_events(list(event_list))


@pytest.mark.django_db
def test_stale_follow_handled_after_the_unfollow_leaves_the_user_gone():
    user = lb.user_id()
    follow, unfollow = lb.follow(user, timestamp=T0), lb.unfollow(user, timestamp=T0 + 3000)

    _run(unfollow)  # the unfollow's task ran first
    _run(follow)  # the older follow's task, late

    assert not LineFollower.objects.active().exists()
    assert not LineFollower.objects.filter(line_user_id=user).exists()
    assert kpi.registrants() == 0


@pytest.mark.django_db
def test_follow_unfollow_in_order_leaves_the_user_gone_and_a_later_follow_brings_them_back():
    user = lb.user_id()
    _run(lb.follow(user, timestamp=T0))
    _run(lb.unfollow(user, timestamp=T0 + 1000))
    assert kpi.registrants() == 0

    _run(lb.follow(user, timestamp=T0 + 5000))

    assert LineFollower.objects.get(line_user_id=user).status == SubscriberStatus.ACTIVE
    assert kpi.registrants() == 1


@pytest.mark.django_db
def test_stale_unfollow_after_a_newer_follow_changes_nothing():
    user = lb.user_id()
    _run(lb.follow(user, timestamp=T0 + 5000))
    _run(lb.unfollow(user, timestamp=T0))

    assert LineFollower.objects.get(line_user_id=user).status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_postback_older_than_an_unfollow_does_not_bring_the_user_back():
    user = lb.user_id()
    _run(lb.follow(user, timestamp=T0))
    _run(lb.unfollow(user, timestamp=T0 + 2000))
    _run(lb.postback(user, "lang=en", timestamp=T0 + 1000))

    assert not LineFollower.objects.active().exists()


@pytest.mark.django_db
def test_the_event_clock_holds_a_keyed_hash_never_the_user_id():
    user = lb.user_id()
    _run(lb.follow(user, timestamp=T0), lb.unfollow(user, timestamp=T0 + 1000))

    [clock] = LineUserClock.objects.all()
    stored = json.dumps([clock.user_key, str(clock.last_event_at)])
    assert user not in stored and user[1:] not in stored
    assert clock.user_key == LineUserClock.key_for(user)
    assert len(clock.user_key) == 64


@pytest.mark.django_db
def test_event_clocks_are_purged_after_their_stated_retention(settings):
    _run(lb.unfollow(lb.user_id(), timestamp=T0))
    assert LineUserClock.objects.count() == 1

    with time_machine.travel(
        timezone.now() + settings.NOTIFICATIONS_EVENT_CLOCK_RETENTION - datetime.timedelta(hours=1)
    ):
        tasks.purge_webhook_events()
    assert LineUserClock.objects.count() == 1
    with time_machine.travel(
        timezone.now() + settings.NOTIFICATIONS_EVENT_CLOCK_RETENTION + datetime.timedelta(hours=1)
    ):
        tasks.purge_webhook_events()
    assert LineUserClock.objects.count() == 0


# SQLite with a worker beside it: a writer waits its turn instead of failing.


def _sqlite_alias(path, options):
    alias = f"busy_{path.stem}"
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options},
        }
    )
    connections.settings[alias] = configured[alias]
    return alias


def _approval_under_a_busy_writer(alias):
    """A worker holds the write lock while an approval reads, then writes (what publishing does).

    Returns the error the approval met, or None.
    """
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    worker_has_lock, approval_has_read = threading.Event(), threading.Event()
    outcome = {}

    def worker():
        try:
            with transaction.atomic(using=alias):
                connections[alias].cursor().execute("INSERT INTO t VALUES (1)")
                worker_has_lock.set()
                approval_has_read.wait(timeout=2)
        finally:
            connections[alias].close()

    def approval():
        worker_has_lock.wait()
        try:
            with transaction.atomic(using=alias):
                connections[alias].cursor().execute("SELECT COUNT(*) FROM t").fetchone()
                approval_has_read.set()
                connections[alias].cursor().execute("INSERT INTO t VALUES (2)")
            outcome["error"] = None
        except OperationalError as error:
            approval_has_read.set()
            outcome["error"] = error
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=worker), threading.Thread(target=approval)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome["error"]


def test_embedded_default_sqlite_makes_a_writer_wait_instead_of_failing(tmp_path, django_db_blocker):
    from cms.settings import base

    alias = _sqlite_alias(tmp_path / "hub.sqlite3", base.DATABASES["default"]["OPTIONS"])
    with django_db_blocker.unblock():
        _check_waits(alias)


def _check_waits(alias):
    try:
        assert _approval_under_a_busy_writer(alias) is None
        with connections[alias].cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 2
    finally:
        connections[alias].close()
        del connections.settings[alias]


def test_without_those_options_the_same_approval_fails_with_database_locked(tmp_path, django_db_blocker):
    """The defect the options fix, reproduced: a deferred transaction cannot wait its turn."""
    alias = _sqlite_alias(tmp_path / "plain.sqlite3", {"timeout": 1})
    with django_db_blocker.unblock():
        _check_fails(alias)


def _check_fails(alias):
    try:
        error = _approval_under_a_busy_writer(alias)
        assert error is not None and "locked" in str(error)
    finally:
        connections[alias].close()
        del connections.settings[alias]
