"""Queued email: nothing is sent inside the request or transaction; the task sends it after commit."""

from unittest import mock

import pytest

from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction

from home.tasks import send_queued_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    settings.QUEUED_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_mail_is_queued_on_commit_not_sent_in_the_transaction(queued, django_capture_on_commit_callbacks):
    with mock.patch.object(send_queued_email, "delay") as delay:
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            send_mail("件名", "本文", "hub@example.jp", ["physician@example.jp"])
            assert delay.call_count == 0
        assert mail.outbox == []
        for callback in callbacks:
            callback()
    assert delay.call_count == 1
    assert delay.call_args.args[0]["to"] == ["physician@example.jp"]


def test_mail_is_dropped_when_the_transaction_rolls_back(queued, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(send_queued_email, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_mail("件名", "本文", "hub@example.jp", ["physician@example.jp"])
        raise RuntimeError("rolled back")
    assert delay.call_count == 0


def test_the_task_sends_the_message_with_the_real_backend(queued, django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives(
        "確認のお願い", "本文です", "hub@example.jp", ["a@example.jp"], cc=["b@example.jp"]
    )
    message.attach_alternative("<p>本文です</p>", "text/html")
    with (
        mock.patch.object(send_queued_email, "delay", side_effect=send_queued_email) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        message.send()
    assert delay.call_count == 1
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to, sent.cc) == (
        "確認のお願い",
        "本文です",
        ["a@example.jp"],
        ["b@example.jp"],
    )
    assert sent.alternatives[0][1] == "text/html"
