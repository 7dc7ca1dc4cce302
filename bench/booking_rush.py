"""Benchmark: N families try to book the same morning's 20 slots at once, through the site's booking
page (form, crisis check on the few words, the one conditional write), with W concurrent clients.

Run by hand, not in the tests, against PostgreSQL:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wt_bookings \\
        .venv/bin/python bench/booking_rush.py --families 1000 --workers 16

Uses the test settings and a throw-away test database. Each family opens the page, takes the first
time it sees offered (everyone wants the earliest), and posts it with a contact and a few words. It
reports how many got a slot (there are 20), how many were told it was gone (409, or no open time left
on the page), errors (anything else; must be 0) and the p50/p99 latency of the booking post. LINE
messages are not recorded (site bookings send none), so the outbox is not measured here.
"""

import argparse
import datetime
import logging
import os
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
SLOT = re.compile(rb'name="slot" value="(\d+)"')


def setup_django():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return connection


def morning(slot_count):
    from django.utils import timezone

    from bookings.factories import SessionTypeFactory
    from bookings.models import Slot
    from bookings.times import start_of_day, today

    session_type = SessionTypeFactory(length_minutes=10, days_ahead=7)
    start = start_of_day(today(timezone.now()) + datetime.timedelta(days=1)) + datetime.timedelta(hours=9)
    Slot.objects.bulk_create(
        Slot(
            session_type=session_type,
            starts_at=start + datetime.timedelta(minutes=10 * index),
            ends_at=start + datetime.timedelta(minutes=10 * (index + 1)),
        )
        for index in range(slot_count)
    )
    return session_type


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    connection = setup_django()
    # Every family told "gone" is a 409; one log line each would drown the result.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from bookings.models import Booking

    session_type = morning(args.slots)
    url = reverse("bookings:book", args=[session_type.pk])
    start_gate = threading.Barrier(args.workers)
    local = threading.local()
    results, latencies, lock = [], [], threading.Lock()

    def family(index):
        if not getattr(local, "ready", False):
            local.ready, local.client = True, Client()
            start_gate.wait()
        client = local.client
        try:
            page = client.get(url)
            offered = SLOT.findall(page.content)
            if page.status_code != 200:
                outcome = f"page {page.status_code}"
            elif not offered:
                outcome = "gone"
            else:
                began = time.perf_counter()
                response = client.post(
                    url,
                    {
                        "slot": offered[0].decode(),
                        "contact": f"family{index}@example.jp",
                        "note": "授乳のこと",
                    },
                )
                with lock:
                    latencies.append(time.perf_counter() - began)
                outcome = {200: "got", 409: "gone"}.get(response.status_code, f"post {response.status_code}")
        except Exception as error:  # counted as an error, named
            outcome = type(error).__name__
        finally:
            connections.close_all()  # this thread's connection: the test database can be dropped
        with lock:
            results.append(outcome)

    began = time.perf_counter()
    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(family, range(args.families)))
    wall = time.perf_counter() - began
    got, gone = results.count("got"), results.count("gone")
    errors = [outcome for outcome in results if outcome not in {"got", "gone"}]
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else 0
    p50 = statistics.median(latencies) if latencies else 0
    held = Booking.objects.filter(slot__session_type=session_type).values("slot").distinct().count()
    print(
        f"database={connection.vendor} families={args.families} slots={args.slots} workers={args.workers}\n"
        f"got a slot={got} told gone={gone} errors={len(errors)} {sorted(set(errors)) or ''}\n"
        f"slots held={held} bookings={Booking.objects.count()} (each slot held once: {held == got})\n"
        f"booking posts={len(latencies)} p50={p50 * 1000:.0f} ms "
        f"p99={p99 * 1000:.0f} ms wall={wall:.1f} s"
    )
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return 0 if not errors and got == args.slots else 1


if __name__ == "__main__":
    sys.exit(main())
