"""Two staff members take the same conversation at the same moment, on PostgreSQL with real
concurrent connections: exactly one wins (the claim is one conditional UPDATE)."""

import os
import threading

import pytest

from django.db import connection, connections

from conftest import IN_CI
from consultations import services
from consultations.models import Channel, Conversation, Status

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        message = "needs DATABASE_URL pointing at PostgreSQL"
        if IN_CI:
            pytest.fail(f"{message}: under CI=true this test fails rather than skips")
        pytest.skip(message)
    assert os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_two_staff_claiming_at_once_one_wins(postgres, medical, make_staff):
    staff = [make_staff(medical, f"staff-{n}") for n in range(8)]
    for _round in range(5):
        conversation, _created = services.open_conversation(topic="child", channel=Channel.WEB, language="ja")
        barrier = threading.Barrier(len(staff))
        won = []

        def take(user, conversation_id=conversation.pk, barrier=barrier, won=won):
            try:
                barrier.wait()
                if services.claim(conversation_id, user):
                    won.append(user.pk)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=take, args=(user,)) for user in staff]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        conversation = Conversation.objects.get(pk=conversation.pk)
        assert len(won) == 1
        assert conversation.status == Status.CLAIMED and conversation.assignee_id == won[0]
