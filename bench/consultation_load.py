"""Benchmark: open text consultations under load: every family message stored once and in order,
and how long until a staff member's screen (the admin's polled JSON) shows it.

Run by hand, not in the tests (PostgreSQL: threads need a shared database):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wt_consult \\
        .venv/bin/python bench/consultation_load.py --conversations 200 --staff 20 --messages 2000

A throw-away test database; N conversations opened through the LINE feature
(``consultations.line.ConsultationHandler``, what the webhook task runs for each event), then M
family messages spread over them, sent by ``--senders`` threads (the Celery worker's concurrency)
as fast as they go, while ``--staff`` threads each poll the conversations they took with the query
the admin's JSON view runs (``admin_views._message_rows``) every ``--poll`` seconds, and answer one
message in ten (``services.reply``, whose outbox row is recorded but not sent here). Latency is from
the moment the sender hands the message to the feature to the moment a staff poll returns it; the
browser adds up to its own polling interval (4 s) on top.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def setup(staff_count):
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from django.contrib.auth import get_user_model

    from consultations.models import FamilyTopic
    from consultations.tests.conftest import make_service

    service = make_service(
        "【サンプル】ベンチ相談", "ベンチスタッフ", "consultation", list(FamilyTopic.values)
    )
    users = []
    for n in range(staff_count):
        user = get_user_model().objects.create_user(f"bench-staff-{n}")
        user.groups.add(service.staff_group)
        users.append(user)
    return service, users


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--poll", type=float, default=0.5)
    args = parser.parse_args()
    _service, staff = setup(args.staff)

    from django.db import connections

    from consultations import admin_views, outbox, services
    from consultations.line import ConsultationHandler
    from consultations.models import Conversation, Message
    from guidance.conversation import Incoming

    recorded = []
    outbox.record = lambda *a, **k: recorded.append(a[1])  # the outbox row; no LINE here
    handler = ConsultationHandler()
    users = [f"U{n:032x}" for n in range(args.conversations)]
    for n, user in enumerate(users):
        handler.handle(
            Incoming(
                language="ja",
                line_user_id=user,
                postback={"f": "consult", "a": "topic", "t": "child"},
                webhook_event_id=f"open-{n}",
            )
        )
    conversations = list(Conversation.objects.order_by("pk"))
    by_user = {c.line_user_id: c.pk for c in conversations}
    for n, conversation in enumerate(conversations):
        services.claim(conversation.pk, staff[n % len(staff)])

    plan = [(random.choice(users), n) for n in range(args.messages)]
    sequence = {}
    for user, n in plan:
        sequence.setdefault(user, []).append(n)
    sent_at = {}
    seen_at = {}
    lock = threading.Lock()
    done = threading.Event()

    # Messages to one follower keep their order as the webhook's task queue does (one sender per
    # follower); followers are spread over the senders.
    lanes = [[] for _ in range(args.senders)]
    for user, n in plan:
        lanes[hash(user) % args.senders].append((user, n))

    def send(lane):
        try:
            for user, n in lane:
                text = f"【サンプル】{n:05d}"
                with lock:
                    sent_at[n] = time.perf_counter()
                handler.handle(
                    Incoming(language="ja", line_user_id=user, text=text, webhook_event_id=f"m-{n}")
                )
        finally:
            connections.close_all()

    def watch(member_index):
        mine = [c for n, c in enumerate(conversations) if n % len(staff) == member_index]
        last = dict.fromkeys((c.pk for c in mine), 0)
        user = staff[member_index]
        replies = 0
        try:
            while True:
                finished = done.is_set()
                for conversation in mine:
                    rows = admin_views._message_rows(conversation, last[conversation.pk])
                    now = time.perf_counter()
                    for row in rows:
                        last[conversation.pk] = row["id"]
                        if row["sender"] == "family":
                            n = int(row["text"][-5:])
                            with lock:
                                seen_at.setdefault(n, now)
                            if n % 10 == 0:
                                services.reply(conversation, user, f"【サンプル】回答 {n}")
                                replies += 1
                if finished:
                    return
                time.sleep(args.poll)
        finally:
            connections.close_all()

    started = time.perf_counter()
    watchers = [threading.Thread(target=watch, args=(i,)) for i in range(len(staff))]
    senders = [threading.Thread(target=send, args=(lane,)) for lane in lanes]
    for thread in watchers + senders:
        thread.start()
    for thread in senders:
        thread.join()
    sending = time.perf_counter() - started
    done.set()
    for thread in watchers:
        thread.join()

    stored = list(
        Message.objects.filter(sender="family").order_by("pk").values_list("conversation_id", "text")
    )
    per_conversation = {}
    for conversation_id, text in stored:
        per_conversation.setdefault(conversation_id, []).append(int(text[-5:]))
    in_order = all(per_conversation.get(by_user[user], []) == numbers for user, numbers in sequence.items())
    latencies = sorted(seen_at[n] - sent_at[n] for n in seen_at)
    p = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"conversations={args.conversations} staff={args.staff} messages={args.messages} "
        f"senders={args.senders} poll={args.poll}s"
    )
    print(
        f"stored={len(stored)} unique={len({t for _c, t in stored})} "
        f"seen_by_staff={len(seen_at)} in_order={in_order}"
    )
    print(f"staff_replies_recorded={len(recorded)} unique={len(set(recorded))}")
    print(f"sending_s={sending:.1f} rate={args.messages / sending:.0f}/s")
    print(f"latency_s p50={p[49]:.3f} p95={p[94]:.3f} p99={p[98]:.3f} max={latencies[-1]:.3f}")
    print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
