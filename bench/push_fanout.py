"""Benchmark: one notification to N LINE followers and M app devices against the local fakes.

Run by hand, not in the tests:

    .venv/bin/python bench/push_fanout.py --line 100000 --fcm 20000 --latency 0.02
    .venv/bin/python bench/push_fanout.py --series        # 1,000 → 10,000 → 100,000, one process each

Uses the test settings (SQLite in memory, or PostgreSQL with DATABASE_URL) and a throw-away test
database. Measures the send phase only (planning the batches, claiming, sending, recording): wall
time, requests per fake, and peak resident memory of the process (which also hosts the fakes).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def make_article():
    import datetime

    from wagtail.models import Page, Site

    from articles.models import ArticleApproval, ArticleIndexPage, ArticlePage, LifeStage, Physician
    from home.models import HomePage

    physician = Physician.objects.create(name="医師 サンプル", name_kana="いし", specialty="paediatrics")
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="おやこハブ（サンプル）", slug="bench")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = home.add_child(instance=ArticleIndexPage(title="記事", slug="articles"))
    page = ArticlePage(
        title="【サンプル】ベンチマーク用の記事",
        summary="【サンプル】架空の要約です。",
        body=[("paragraph", "<p>【サンプル】</p>")],
        physician=physician,
        live=False,
        notify_subscribers=False,
    )
    index.add_child(instance=page)
    page.life_stages.set(LifeStage.objects.filter(code="age_0_1"))
    revision = page.save_revision()
    today = datetime.date.today()
    ArticleApproval.objects.create(
        page=page,
        revision=revision,
        physician=physician,
        reviewed_on=today,
        next_review_due=today + datetime.timedelta(days=365),
    )
    revision.publish()
    page.refresh_from_db()
    return page


def make_subscribers(line_count, fcm_count):
    from notifications.models import AppDevice, LineFollower

    LineFollower.objects.bulk_create(
        (LineFollower(line_user_id=f"U{index:032x}", language="ja") for index in range(line_count)),
        batch_size=5000,
    )
    AppDevice.objects.bulk_create(
        (AppDevice(token=f"bench-token-{index:07d}", platform="android") for index in range(fcm_count)),
        batch_size=5000,
    )


class Fake:
    """A fake server in its own process, so that its CPU time does not count against the sender."""

    def __init__(self, kind, latency, validate=True):
        command = [sys.executable, "-m", "tests.fakes.serve", kind, "--latency", str(latency)]
        if not validate:
            command.append("--no-validate")
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
        self.info = json.loads(self.process.stdout.readline())
        self.base_url = self.info["base_url"]

    def stats(self):
        with urllib.request.urlopen(f"{self.base_url}/__fake__/stats") as response:
            return json.load(response)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def run(line_count, fcm_count, latency, concurrency, validate=True):
    setup_django()
    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from notifications import sending, services
    from notifications.models import Notification

    settings.NOTIFICATIONS_SEND_CONCURRENCY = concurrency
    page = make_article()
    make_subscribers(line_count, fcm_count)
    line, fcm = Fake("line", latency, validate), Fake("fcm", latency)
    try:
        settings.LINE_API_BASE_URL = line.base_url
        settings.LINE_CHANNEL_ACCESS_TOKEN = line.info["access_token"]
        settings.FCM_API_BASE_URL = fcm.base_url
        settings.FCM_CREDENTIALS_JSON = json.dumps(fcm.info["credentials"])
        settings.NOTIFICATIONS_BACKENDS = {
            "line": {"BACKEND": "notifications.backends.line.LineBackend"},
            "fcm": {"BACKEND": "notifications.backends.fcm.FcmBackend"},
        }
        notification = services.issue(source="bench", page=page, title=page.title, text=page.summary)
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        sending.plan_batches(notification.pk, list(settings.NOTIFICATIONS_BACKENDS))
        planned = time.perf_counter()
        send_started_at = timezone.now()
        sending.send(notification.pk)
        wall = time.perf_counter() - started
        send_wall = time.perf_counter() - planned
        notification = Notification.objects.get(pk=notification.pk)
        last_line = notification.batches.filter(channel="line").aggregate(last=Max("accepted_at"))["last"]
        line_done = (last_line - send_started_at).total_seconds() if last_line else 0
        line_stats, fcm_stats = line.stats(), fcm.stats()
    finally:
        line.stop()
        fcm.stop()
    result = {
        "line_subscribers": line_count,
        "fcm_devices": fcm_count,
        "latency_ms": latency * 1000,
        "concurrency": concurrency,
        "spec_validation": validate,
        "wall_s": round(wall, 2),
        "plan_s": round(wall - send_wall, 2),
        "send_s": round(send_wall, 2),
        "line_done_s": round(line_done, 2),
        "line_requests": line_stats["requests"],
        "fcm_requests": fcm_stats["requests"] - (1 if fcm_count else 0),  # minus the OAuth token
        "line_recipients": line_stats["recipients"],
        "fcm_recipients": fcm_stats["recipients"],
        "most_per_recipient": max(line_stats["most_per_recipient"], fcm_stats["most_per_recipient"]),
        "spec_errors": line_stats["errors"] + fcm_stats["errors"],
        "status": notification.status,
        "peak_rss_mb_before_send": round(rss_before),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(result))
    return result


def series(latency, concurrency):
    for line_count, fcm_count in [(1_000, 200), (10_000, 2_000), (100_000, 20_000)]:
        command = [
            sys.executable,
            __file__,
            "--line",
            str(line_count),
            "--fcm",
            str(fcm_count),
            "--latency",
            str(latency),
            "--concurrency",
            str(concurrency),
        ]
        subprocess.run(command, check=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--line", type=int, default=100_000, help="LINE followers")
    parser.add_argument("--fcm", type=int, default=20_000, help="app devices")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds each fake waits per request")
    parser.add_argument("--concurrency", type=int, default=16, help="batches in flight at once")
    parser.add_argument("--no-validate", action="store_true", help="skip the fake LINE's spec check")
    parser.add_argument("--series", action="store_true", help="1k, 10k and 100k, one process each")
    args = parser.parse_args()
    if args.series:
        series(args.latency, args.concurrency)
    else:
        run(args.line, args.fcm, args.latency, args.concurrency, validate=not args.no_validate)


if __name__ == "__main__":
    main()
