"""Property: whatever body arrives at the webhook, signed or not, it answers without a 5xx, an
unsigned body changes no row, and the task applying a signed body never raises (no crash loop).

A modest number of examples here; ``bench/webhook_fuzz.py`` runs 10,000 (FUZZ_EXAMPLES)."""

import datetime
import os
from collections import Counter

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings

from django.utils import timezone

from notifications import tasks
from notifications.models import LineFollower, LineUserClock, WebhookEvent
from notifications.tests import line_bodies as lb
from notifications.tests.webhook_fuzz import (
    replay_delay_days,
    signature_for,
    signature_mode,
    subscriber_body,
    webhook_body,
)

URL = "/line/webhook/"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
OUTCOMES = Counter()


def _rows():
    return (LineFollower.objects.count(), WebhookEvent.objects.count(), LineUserClock.objects.count())


@pytest.fixture
def queued(settings, monkeypatch):
    """Set once per test, not per example: each ``settings`` assignment stacks an override, and
    thousands of stacked overrides exhaust the recursion limit (the first 10,000 run stopped so)."""
    settings.LINE_CHANNEL_SECRET = lb.SECRET
    calls = []
    monkeypatch.setattr(
        tasks.handle_line_events, "apply_async", lambda args, **options: calls.append(args[0])
    )
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: None)
    monkeypatch.setattr(tasks.send_choice_confirmation, "delay", lambda pk, token: None)
    return calls


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(raw=webhook_body(), mode=signature_mode)
def test_any_webhook_body_gets_a_clear_answer_and_never_crashes_the_task(
    raw, mode, client, queued, django_capture_on_commit_callbacks
):
    queued.clear()
    signature = signature_for(raw, mode)
    headers = {} if signature is None else {"HTTP_X_LINE_SIGNATURE": signature}
    before = _rows()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data=raw, content_type="application/json", **headers)

    OUTCOMES[(mode if mode == "valid" else "unsigned", response.status_code)] += 1
    assert response.status_code < 500
    if mode != "valid":
        assert response.status_code == 403
        assert queued == []
        assert _rows() == before
        return
    assert response.status_code in (200, 400)
    for event_list in queued:
        # The worker's task: must apply or ignore every event, never raise (a raise is retried or lost).
        with django_capture_on_commit_callbacks(execute=True):
            tasks.handle_line_events(event_list)
    OUTCOMES["events applied"] += sum(len(event_list) for event_list in queued)


def _subscribers():
    return sorted(
        LineFollower.objects.values_list(
            "pk", "line_user_id", "status", "language", "life_stage", "due_month", "birth_month"
        )
    )


@pytest.mark.django_db
@settings(
    max_examples=max(10, EXAMPLES // 4),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=subscriber_body(), days=replay_delay_days)
def test_a_signed_body_replayed_later_changes_nothing(
    raw, days, client, queued, django_capture_on_commit_callbacks
):
    """Sent and applied once, then sent again at once (a redelivery) or days later, after the
    purge of event records and clocks (a replay): the second time changes no subscriber."""
    LineFollower.objects.all().delete()
    WebhookEvent.objects.all().delete()
    LineUserClock.objects.all().delete()

    def deliver():
        queued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                URL, data=raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=lb.sign(raw)
            )
        for event_list in queued:
            with django_capture_on_commit_callbacks(execute=True):
                tasks.handle_line_events(event_list)
        return response, sum(len(event_list) for event_list in queued)

    assert deliver()[0].status_code == 200
    before = _subscribers()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days)):
        tasks.purge_webhook_events()
        response, events_queued = deliver()

    assert response.status_code == 200
    assert _subscribers() == before
    if days >= 2:
        assert events_queued == 0
    OUTCOMES[("replay", f"after {days} days", "events queued" if events_queued else "nothing queued")] += 1


def teardown_module():
    print("\nwebhook fuzz outcomes:", dict(OUTCOMES))


@pytest.mark.django_db
def test_a_signed_body_nested_too_deeply_is_refused_before_parsing(client, settings, monkeypatch):
    settings.LINE_CHANNEL_SECRET = lb.SECRET
    monkeypatch.setattr(tasks.handle_line_events, "apply_async", lambda args, **options: None)
    raw = b'{"destination": "U0", "events": [' + b'{"a":[' * 5000 + b"1" + b"]}" * 5000 + b"]}"

    response = client.post(URL, data=raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=lb.sign(raw))

    assert response.status_code == 400
    assert b"nested too deeply" in response.content


def test_brackets_inside_strings_do_not_count_as_nesting():
    from notifications.webhook import MAX_NESTING, nesting_depth

    text = '{"events": [{"message": {"text": "' + "[{" * 100 + '\\"]"}}]}'
    assert nesting_depth(text.encode()) == 4 < MAX_NESTING
