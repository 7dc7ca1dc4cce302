"""Benchmark: a year of timed messages for N families, run by the beat task once an evening.

Run by hand, not in the tests:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wt11 .venv/bin/python bench/timed_messages.py \
        --families 100000 --messages 16

Uses the test settings and a throw-away test database (``test_<name>``). Creates an approved
article, a live series of M messages (pregnancy and ages 0–6, days 1, 15 and 31), and N LINE
followers with due months over the next 10 months or birth months over the last 6 years, then
moves the clock through a fiscal year (April to March), running ``dispatch_due_messages`` at
21:00 every day. Sending is not measured here (see ``push_fanout.py``): the on-commit send is
switched off, so this is the beat task's own cost: finding the cohorts, hashing their keys,
recording receipts, writing the outbox rows. Reports the daily run's wall time and queries.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def setup_django():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def build(families, messages):
    from wagtail.models import Page, Site

    from articles.factories import (
        ArticleIndexPageFactory,
        ArticlePageFactory,
        PhysicianFactory,
        publish_approved,
    )
    from articles.models import ArticleApproval
    from home.models import HomePage
    from milestones.enums import Moment
    from milestones.factories import build_series
    from notifications.models import LineFollower
    from notifications.models.subscribers import add_months

    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="おやこハブ（サンプル）", slug="bench")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = ArticleIndexPageFactory(parent=home)
    physician = PhysicianFactory()
    article = ArticlePageFactory(parent=index, physician=physician, title="【サンプル】ベンチマーク用の記事")
    publish_approved(article)
    ArticleApproval.objects.update(next_review_due=datetime.date(2099, 1, 1))
    specs = []
    for number in range(messages):
        if number % 4 == 0:
            moment, months = Moment.PREGNANCY, (number // 4) % 11
        else:
            moment, months = Moment.AGE, (number * 5) % 72
        specs.append(
            {
                "text": f"【サンプル】メッセージ {number}",
                "target": article,
                "moment": moment,
                "months": months,
                "day_of_month": (1, 15, 31)[number % 3],
            }
        )
    build_series(home, title="【サンプル】ベンチマーク", messages=specs, physician=physician)
    start = datetime.date(2027, 4, 1)
    rows = []
    for index in range(families):
        row = LineFollower(line_user_id=f"U{index:032x}", language="ja")
        if index % 8 == 0:
            row.set_life_stage(due_month=add_months(start, index % 10))
        else:
            row.set_life_stage(birth_month=add_months(start, -(index % 72)))
        rows.append(row)
    LineFollower.objects.bulk_create(rows, batch_size=5000)


def run_year(months=12):
    import time_machine

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from milestones.models import Receipt
    from milestones.services import dispatch_due_messages
    from notifications import services
    from notifications.models import Notification
    from notifications.models.subscribers import add_months

    services.queue_sending = lambda pk: None  # the beat's own cost only
    days = []
    day = datetime.date(2027, 4, 1)
    end = add_months(day, months)
    while day < end:
        now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(21)))
        connection.queries_log.clear()  # a bounded deque: full, it would hide the day's queries
        with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            dispatches = dispatch_due_messages()
            elapsed = time.perf_counter() - started
        issued = [d for d in dispatches if d.notification_id]
        days.append(
            {
                "day": day.isoformat(),
                "seconds": elapsed,
                "queries": len(queries),
                "runs": len(dispatches),
                "issued": len(issued),
                "families": sum(d.recipient_count for d in issued),
            }
        )
        day += datetime.timedelta(days=1)
    seconds = [d["seconds"] for d in days]
    queries = [d["queries"] for d in days]
    busiest = max(days, key=lambda d: d["seconds"])
    return {
        "days": len(days),
        "total_s": round(sum(seconds), 1),
        "median_day_s": round(statistics.median(seconds), 3),
        "max_day_s": round(max(seconds), 3),
        "busiest_day": busiest,
        "median_day_queries": statistics.median(queries),
        "max_day_queries": max(queries),
        "notifications": Notification.objects.filter(source__startswith="timed-message:").count(),
        "receipts": Receipt.objects.count(),
        "deliveries": sum(d["families"] for d in days),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=16)
    parser.add_argument("--months", type=int, default=12, help="months of daily runs from April 2027")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    build(args.families, args.messages)
    built = time.perf_counter() - started
    result = run_year(args.months)
    result.update(
        families=args.families, messages=args.messages, build_s=round(built, 1), database=connection.vendor
    )
    result["busiest_day"]["seconds"] = round(result["busiest_day"]["seconds"], 3)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
