"""Property: whatever body arrives at the webhook, signed or not, it answers without a 5xx, an
unsigned body changes no row, and the task applying a signed body never raises (no crash loop).

A modest number of examples here; ``bench/webhook_fuzz.py`` runs 10,000 (FUZZ_EXAMPLES)."""

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from notifications import tasks
from notifications.models import LineFollower, LineUserClock, WebhookEvent
from notifications.tests import line_bodies as lb
from notifications.tests.webhook_fuzz import signature_for, signature_mode, webhook_body

URL = "/line/webhook/"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
OUTCOMES = Counter()


def _rows():
    return (LineFollower.objects.count(), WebhookEvent.objects.count(), LineUserClock.objects.count())


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
    raw, mode, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LINE_CHANNEL_SECRET = lb.SECRET
    queued = []
    monkeypatch.setattr(
        tasks.handle_line_events, "apply_async", lambda args, **options: queued.append(args[0])
    )
    monkeypatch.setattr(tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_follow_greeting, "delay", lambda pk, token: None)
    monkeypatch.setattr(tasks.send_choice_confirmation, "delay", lambda pk, token: None)
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


def teardown_module():
    print("\nwebhook fuzz outcomes:", dict(OUTCOMES))
