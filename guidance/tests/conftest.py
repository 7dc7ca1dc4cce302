import time

import pytest

from articles.tests.conftest import editor, other_physician, physician  # noqa: F401
from guidance import tasks
from guidance.models import CrisisReply
from notifications import tasks as notification_tasks
from notifications.models import LineFollower
from notifications.tests import line_bodies as lb
from tests.fakes.fixtures import line_server  # noqa: F401


@pytest.fixture
def administrator(django_user_model, db):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")


@pytest.fixture
def english(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def approved(editor, physician):  # noqa: F811
    """``approved(obj)``: ``obj`` written by the editor and approved by the physician in the Medical
    review workflow; returns it."""
    from guidance.factories import review

    def approve(obj, author=None, reviewer=None):
        review(obj, author or editor, reviewer or physician.user)
        return obj

    return approve


@pytest.fixture
def english_reviewer(english):
    """A medical translator registered for English."""
    from articles.factories import MedicalReviewerFactory

    return MedicalReviewerFactory(languages=["en"])


URL = "/line/webhook/"


@pytest.fixture
def bot(line_server, settings, client, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    """``bot.say(text, language="ja")`` sends a text message through the webhook and runs the tasks."""
    settings.LINE_CHANNEL_SECRET = lb.SECRET
    settings.GUIDANCE_REPLY_BACKEND = {
        "BACKEND": "guidance.backends.reply.LineReplyBackend",
        "TIMEOUT": (5, 15),
    }
    monkeypatch.setattr(
        notification_tasks.handle_line_events,
        "apply_async",
        lambda args, **options: notification_tasks.handle_line_events.apply(args),
    )
    queued = []

    def run_now(args, **options):
        queued.append(options)
        return tasks.answer_message.apply(args)

    monkeypatch.setattr(tasks.answer_message, "apply_async", run_now)

    def run_postback_now(args, **options):
        queued.append(options)
        return tasks.answer_postback.apply(args)

    monkeypatch.setattr(tasks.answer_postback, "apply_async", run_postback_now)

    class Bot:
        server = line_server
        options = queued

        def say(self, text, language="ja", user=None, timestamp=None, event=None):
            user = user or lb.user_id()
            LineFollower.objects.get_or_create(line_user_id=user, defaults={"language": language})
            event = event or lb.text_message(user, text, timestamp=timestamp or int(time.time() * 1000))
            raw = lb.body(event)
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    URL, data=raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=lb.sign(raw)
                )
            assert response.status_code == 200
            assert not line_server.errors
            return event

        def tap(self, data, params=None, language="ja", user=None, timestamp=None):
            """A tap on a button whose postback data is ``data`` (a date picker's in ``params``)."""
            user = user or lb.user_id()
            event = lb.postback(user, data, params=params, timestamp=timestamp or int(time.time() * 1000))
            LineFollower.objects.get_or_create(line_user_id=user, defaults={"language": language})
            return self.say(None, language=language, user=user, event=event)

        def last_reply(self):
            return line_server.replies[-1]["messages"]

        def reply_text(self):
            return "\n".join(message.get("text", "") for message in self.last_reply())

    return Bot()


@pytest.fixture
def approved_crisis_reply(approved, administrator):
    """The Japanese crisis reply, written by an administrator and approved by a physician."""
    reply = CrisisReply.objects.get(language="ja")
    reply.text = "【サンプル承認文】ひとりで抱えこまないでください。"
    return approved(reply, author=administrator)
