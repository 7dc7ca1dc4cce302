import pytest

from guidance.tests.conftest import bot  # noqa: F401
from milestones.tests.conftest import make_series, physician, queued  # noqa: F401
from tests.fakes.fixtures import fcm_server, line_server  # noqa: F401


@pytest.fixture
def follow(bot, monkeypatch, client, django_capture_on_commit_callbacks):  # noqa: F811
    """``follow(user)``: a signed follow event through the webhook; the greeting is replied."""
    import time

    from notifications import tasks as notification_tasks
    from notifications.tests import line_bodies as lb

    monkeypatch.setattr(notification_tasks.fetch_line_profile, "delay", lambda pk: None)
    monkeypatch.setattr(
        notification_tasks.send_follow_greeting,
        "delay",
        lambda pk, token: notification_tasks.send_follow_greeting.apply((pk, token)),
    )

    def run(user):
        raw = lb.body(lb.follow(user, timestamp=int(time.time() * 1000)))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/line/webhook/",
                data=raw,
                content_type="application/json",
                HTTP_X_LINE_SIGNATURE=lb.sign(raw),
            )
        assert response.status_code == 200
        return bot.last_reply()

    return run


@pytest.fixture(autouse=True)
def no_menu_tasks(monkeypatch):
    """Menu switches queued on commit run only where a test asks for them (``menu_tasks``)."""
    from families import tasks

    calls = []
    monkeypatch.setattr(tasks.link_household_menus, "delay", lambda pk: calls.append(("link", pk)))
    monkeypatch.setattr(tasks.unlink_menu, "delay", lambda pk: calls.append(("unlink", pk)))
    return calls
