import pytest

from django.contrib.auth.models import Group

from consultations.models import Desk, DeskTopic, FamilyTopic, StaffMember
from guidance.models import ConsultationService
from guidance.tests.conftest import administrator, bot  # noqa: F401
from tests.fakes.fixtures import line_server  # noqa: F401


def make_service(name, group_name, code, topics, all_hours=True, minutes=30):
    group = Group.objects.create(name=group_name)
    service = ConsultationService.objects.create(
        name=name,
        audience="保護者",
        helps_with="相談",
        cost="無料",
        all_hours=all_hours,
        staff_group=group,
        report_code=code,
    )
    desk = Desk.objects.create(service=service, first_answer_minutes=minutes)
    for topic in topics:
        DeskTopic.objects.create(desk=desk, topic=topic)
    return service


@pytest.fixture
def medical(db):
    return make_service(
        "オンライン医療相談", "医療相談スタッフ", "consultation", [FamilyTopic.CHILD, FamilyTopic.PREGNANCY]
    )


@pytest.fixture
def counselling(db):
    return make_service("産後カウンセリング", "カウンセリングスタッフ", "counselling", [FamilyTopic.FEELINGS])


@pytest.fixture
def make_staff(django_user_model):
    def make(service, username, on_duty=True, line_user_id=""):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.jp", "sample-password", last_name="助産", first_name=username
        )
        user.groups.add(service.staff_group)
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        StaffMember.objects.create(user=user, on_duty=on_duty, line_user_id=line_user_id)
        return user

    return make


class Outbox:
    """What reached the fake LINE through the direct-message outbox (notifications.direct)."""

    def __init__(self, server):
        self.server = server

    def pushes(self):
        return [
            {
                "to": push["to"],
                "texts": [message.get("text") for message in push["messages"]],
                "messages": push["messages"],
            }
            for push in self.server.pushes
        ]

    def rows(self, **filters):
        from notifications.models import DirectMessage

        return DirectMessage.objects.filter(**filters).order_by("pk")


@pytest.fixture
def outbox(line_server, monkeypatch, settings):  # noqa: F811
    """The real outbox: a queued direct message is sent at once to the fake LINE."""
    from notifications import tasks as notification_tasks

    settings.NOTIFICATIONS_BACKOFF_SECONDS = 0.01
    monkeypatch.setattr(
        notification_tasks.send_direct,
        "apply_async",
        lambda args, **options: notification_tasks.send_direct.apply(args),
    )
    return Outbox(line_server)


@pytest.fixture(autouse=True)
def tasks_run_at_once(monkeypatch):
    """The alert tasks run in the test's process when queued (the test broker has no worker)."""
    from consultations import tasks

    monkeypatch.setattr(tasks.alert_crisis, "delay", lambda *args: tasks.alert_crisis.apply(args))
    monkeypatch.setattr(tasks.send_alert, "delay", lambda *args: tasks.send_alert.apply(args))
