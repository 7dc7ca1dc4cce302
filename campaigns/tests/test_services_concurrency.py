"""Two beat runs racing for the same due push on PostgreSQL: exactly one hands it over."""

import threading

import pytest

from django.db import connection, connections

from campaigns.models import PushDispatch
from campaigns.services import dispatch_plan_item

from .conftest import tokyo

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
def test_racing_beat_runs_hand_a_push_over_once(make_campaign, pipeline):
    campaign = make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 19), "text": "【サンプル】通知"}])
    item_id = campaign.planned_pushes.get().pk
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(dispatch_plan_item(item_id, now=tokyo(2027, 5, 4, 19, 1)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len([r for r in results if r is not None]) == 1
    assert len(pipeline.calls) == 1
    assert PushDispatch.objects.count() == 1
