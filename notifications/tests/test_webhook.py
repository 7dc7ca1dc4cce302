import datetime
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import time_machine
from linebot.v3 import WebhookParser
from linebot.v3.webhooks import FollowEvent, PostbackEvent

from django.utils import timezone

from notifications import events, tasks
from notifications.models import LineFollower, LineUserClock, WebhookEvent
from notifications.tests import line_bodies as lb
from notifications.tests import test_events

URL = "/line/webhook/"
line_api = test_events.line_api  # the shared fake LINE, scripted, for the worker test


@pytest.fixture(autouse=True)
def channel(settings):
    settings.LINE_CHANNEL_SECRET = lb.SECRET


class Queued(list):
    """The event lists queued, in order; ``options`` holds what came with each (``argsrepr``)."""

    def __init__(self):
        super().__init__()
        self.options = []

    def apply_async(self, args, **options):
        self.append(args[0])
        self.options.append(options)


@pytest.fixture
def queued(monkeypatch):
    """What the webhook hands to Celery, instead of a broker."""
    calls = Queued()
    monkeypatch.setattr(tasks.handle_line_events, "apply_async", calls.apply_async)
    return calls


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST a raw body as LINE does, running what the request queues on commit."""

    def send(raw, signature=None):
        headers = {} if signature is None else {"HTTP_X_LINE_SIGNATURE": signature}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data=raw, content_type="application/json", **headers)

    return send


def test_test_bodies_are_what_the_real_sdk_parses():
    raw = lb.body(lb.follow(lb.user_id()), lb.postback(lb.user_id(), "stage=age_0_1"))

    events = WebhookParser(lb.SECRET).parse(raw.decode(), lb.sign(raw))

    assert [type(event) for event in events] == [FollowEvent, PostbackEvent]


@pytest.mark.django_db
def test_signed_body_is_accepted_and_its_events_queued_only_after_commit(
    client, queued, django_capture_on_commit_callbacks
):
    event = lb.follow(lb.user_id())
    raw = lb.body(event)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            URL, data=raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=lb.sign(raw)
        )
        assert queued == []

    for callback in callbacks:
        callback()
    assert response.status_code == 200
    assert queued == [events.minimal([event])]
    assert queued[0][0]["source"]["userId"] == event["source"]["userId"]
    assert not LineFollower.objects.exists()  # the request stores nothing; the task does


@pytest.mark.django_db
def test_what_celery_shows_of_the_queued_events_is_their_number_only(queued, post):
    user = lb.user_id()
    written = "【サンプル】夜中に子どもの熱が下がらなくて不安です"
    raw = lb.body(lb.text_message(user, written), lb.follow(lb.user_id()))

    assert post(raw, lb.sign(raw)).status_code == 200

    assert queued[0][0]["text"] == written  # the task still gets the text to answer
    (options,) = queued.options
    assert options["argsrepr"] == "(2 webhook events)"
    assert options["kwargsrepr"] == "{}"
    assert written not in options["argsrepr"] and user not in options["argsrepr"]


@pytest.mark.django_db
def test_japanese_text_in_the_body_is_signed_over_its_raw_bytes(queued, post):
    raw = lb.body(lb.postback(lb.user_id(), "stage=age_0_1&note=妊娠"))

    response = post(raw, lb.sign(raw))

    assert response.status_code == 200
    assert len(queued) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [None, "", "not-base64", lb.sign(b"another body"), lb.sign(b"x", secret="another-secret")],
    ids=["missing", "empty", "garbage", "other-body", "other-secret"],
)
def test_bad_or_missing_signature_gets_403_and_stores_nothing(queued, signature, post):
    raw = lb.body(lb.follow(lb.user_id()))

    response = post(raw, signature)

    assert response.status_code == 403
    assert queued == []
    assert not WebhookEvent.objects.exists()
    assert not LineFollower.objects.exists()


@pytest.mark.django_db
def test_body_changed_after_signing_is_refused(queued, post):
    raw = lb.body(lb.follow(lb.user_id()))
    signature = lb.sign(raw)

    response = post(raw.replace(b'"follow"', b'"unfollow"', 1), signature)

    assert response.status_code == 403
    assert queued == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"destination": "U0"}',
        b'{"events": {"type": "follow"}}',
        b'{"events": [{"type": "follow", "timestamp": 1, "source": {"type": "user", "userId": "U1"}}]}',
        b'{"events": [{"type": "follow", "webhookEventId": "01A", "timestamp": "1",'
        b' "source": {"type": "user", "userId": "U1"}}]}',
        b'{"events": [{"type": "follow", "webhookEventId": "01A", "timestamp": 1,'
        b' "source": {"type": "room"}}]}',
        b'{"events": [{"type": "postback", "webhookEventId": "01A", "timestamp": 1,'
        b' "source": {"type": "user", "userId": "U1"}}]}',
    ],
    ids=[
        "not-json",
        "not-utf8",
        "not-object",
        "no-events",
        "events-not-list",
        "no-event-id",
        "timestamp-string",
        "follow-without-user",
        "postback-without-data",
    ],
)
def test_malformed_body_with_a_good_signature_gets_400_and_queues_nothing(queued, raw, post):
    response = post(raw, lb.sign(raw))

    assert response.status_code == 400
    assert queued == []


@pytest.mark.django_db
def test_verification_request_with_no_events_gets_200_and_queues_nothing(queued, post):
    raw = json.dumps({"destination": lb.BOT_ID, "events": []}).encode()

    response = post(raw, lb.sign(raw))

    assert response.status_code == 200
    assert queued == []


@pytest.mark.django_db
def test_without_a_channel_secret_the_webhook_answers_503_and_stores_nothing(queued, settings, post):
    settings.LINE_CHANNEL_SECRET = ""
    raw = lb.body(lb.follow(lb.user_id()))

    response = post(raw, lb.sign(raw, secret=""))

    assert response.status_code == 503
    assert queued == []


@pytest.mark.django_db
def test_only_post_is_allowed(client, queued):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_the_webhook_is_outside_the_language_prefixes(client, queued, post):
    raw = lb.body()

    assert post(raw, lb.sign(raw)).status_code == 200
    assert client.post("/en" + URL, data=raw, content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_follow_then_unfollow_through_the_webhook_adds_then_forgets_the_follower(queued, post, monkeypatch):
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: None)
    user = lb.user_id()
    follow_body = lb.body(lb.follow(user))
    unfollow_body = lb.body(lb.unfollow(user, timestamp=lb.T0 + 9000))

    post(follow_body, lb.sign(follow_body))
    tasks.handle_line_events(queued.pop())
    assert LineFollower.objects.audience().get().line_user_id == user

    post(unfollow_body, lb.sign(unfollow_body))
    tasks.handle_line_events(queued.pop())
    assert not LineFollower.objects.filter(line_user_id=user).exists()
    assert not LineFollower.objects.audience().exists()


def _now_ms(**delta):
    return int((timezone.now() + datetime.timedelta(**delta)).timestamp() * 1000)


@pytest.mark.portable
@pytest.mark.django_db
def test_a_signed_follow_replayed_after_the_records_are_purged_is_answered_200_and_ignored(
    queued, post, monkeypatch, caplog
):
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: None)
    user = lb.user_id()
    follow = lb.follow(user, timestamp=_now_ms())
    follow_body, unfollow_body = lb.body(follow), lb.body(lb.unfollow(user, timestamp=_now_ms(seconds=1)))
    for raw in (follow_body, unfollow_body):
        post(raw, lb.sign(raw))
        tasks.handle_line_events(queued.pop())
    assert not LineFollower.objects.filter(line_user_id=user).exists()

    # A month on, the event records (30 days) and the user's event clock (7 days) are purged, and
    # someone who captured the follow sends it again, signature and all.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        tasks.purge_webhook_events()
        assert not WebhookEvent.objects.exists() and not LineUserClock.objects.exists()
        with caplog.at_level(logging.INFO, logger="notifications"):
            response = post(follow_body, lb.sign(follow_body))

    assert response.status_code == 200
    assert queued == []
    assert not LineFollower.objects.filter(line_user_id=user).exists()
    assert not LineFollower.objects.audience().exists()
    assert "LINE follow event too old ignored" in caplog.text
    assert user not in caplog.text and follow["webhookEventId"] not in caplog.text


@pytest.mark.django_db
def test_an_event_older_than_the_max_age_is_ignored_and_a_newer_one_in_the_same_body_applied(
    queued, post, settings
):
    settings.NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE = datetime.timedelta(hours=6)
    old, fresh = lb.follow(lb.user_id(), timestamp=_now_ms(hours=-7)), lb.follow(lb.user_id())
    raw = lb.body(old, fresh)

    response = post(raw, lb.sign(raw))

    assert response.status_code == 200
    assert queued == [events.minimal([fresh])]


@pytest.mark.django_db
def test_an_event_dated_far_in_the_future_is_ignored(queued, post):
    raw = lb.body(lb.follow(lb.user_id(), timestamp=_now_ms(hours=1)))

    response = post(raw, lb.sign(raw))

    assert response.status_code == 200
    assert queued == []


@pytest.mark.portable
@pytest.mark.django_db
def test_a_redelivered_follow_within_the_max_age_is_still_applied(queued, post, monkeypatch):
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: None)
    user = lb.user_id()
    raw = lb.body(lb.follow(user, timestamp=_now_ms(hours=-20), redelivery=True))

    response = post(raw, lb.sign(raw))
    tasks.handle_line_events(queued.pop())

    assert response.status_code == 200
    assert LineFollower.objects.audience().get().line_user_id == user


def test_a_max_event_age_not_shorter_than_the_event_clock_retention_fails_the_checks(settings):
    from notifications.checks import check_webhook_max_event_age

    assert check_webhook_max_event_age(None) == []
    settings.NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE = settings.NOTIFICATIONS_EVENT_CLOCK_RETENTION

    assert [error.id for error in check_webhook_max_event_age(None)] == ["notifications.E001"]


@pytest.fixture
def redis_broker(monkeypatch):
    """Point this process's Celery producer at the Redis of the services run."""
    from cms.celery import app

    url = os.environ.get("REDIS_URL")
    if not url or not connection_is_postgresql():
        pytest.skip("needs Redis and the PostgreSQL test database, shared with the worker process")
    redis.Redis.from_url(url).flushdb()
    _use_broker(app, url)
    yield url
    _use_broker(app, "memory://")


def _use_broker(app, url):
    # Earlier tests may have built the producer pool on memory://; drop it so the next send
    # connects to ``url``.
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(redis_broker, line_api, settings):
    """A real Celery worker process on Redis and the test database, talking to the fake LINE."""
    from django.db import connection

    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": "postgresql://{USER}@{HOST}:{port}/{NAME}".format(
            port=database["PORT"] or 5432, **database
        ),
        "CELERY_BROKER_URL": redis_broker,
        "LINE_API_BASE_URL": settings.LINE_API_BASE_URL,
        "LINE_CHANNEL_ACCESS_TOKEN": settings.LINE_CHANNEL_ACCESS_TOKEN,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--pool",
            "solo",
            "-Q",
            ",".join(settings.CELERY_QUEUE_NAMES),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def connection_is_postgresql():
    from django.db import connection

    return connection.vendor == "postgresql"


def _eventually(check, attempts=600):
    """Poll until the worker has done its part; the wait is bounded but never asserted on."""
    for _attempt in range(attempts):
        if result := check():
            return result
        time.sleep(0.1)
    return check()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_worker_applies_a_signed_follow_reads_the_profile_and_greets(client, worker, line_api):
    user = lb.user_id()
    line_api.profiles[user] = "en"
    raw = lb.body(lb.follow(user))

    response = client.post(URL, data=raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=lb.sign(raw))

    assert response.status_code == 200
    follower = _eventually(
        lambda: LineFollower.objects.filter(line_user_id=user, profile_fetched_at__isnull=False).first()
    )
    assert follower is not None, "the worker never applied the follow event"
    assert follower.language == "en"  # from the fake LINE profile
    assert _eventually(lambda: any(path == "/v2/bot/message/reply" for _m, path, _a, _b in line_api.requests))
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_only_the_text_of_a_users_text_message_is_queued(queued, post):
    text = lb.text_message(lb.user_id(), "個人的な相談（サンプル）")
    sticker = lb.text_message(lb.user_id(), "")
    sticker["message"] = {
        "type": "sticker",
        "id": "2",
        "quoteToken": "q",
        "packageId": "1",
        "stickerId": "1",
        "stickerResourceType": "STATIC",
    }
    in_a_group = lb.text_message(lb.user_id(), "グループでの会話（サンプル）")
    in_a_group["source"] = {
        "type": "group",
        "groupId": "C" + "0" * 32,
        "userId": in_a_group["source"]["userId"],
    }
    raw = lb.body(text, sticker, in_a_group, lb.follow(lb.user_id()))

    response = post(raw, lb.sign(raw))

    assert response.status_code == 200
    assert [event["type"] for event in queued[0]] == ["message", "follow"]
    assert queued[0][0]["text"] == "個人的な相談（サンプル）"
    assert "message" not in queued[0][0] and "quoteToken" not in repr(queued)
    assert "グループ" not in repr(queued)
