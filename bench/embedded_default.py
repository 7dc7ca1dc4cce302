"""The embedded default, as `make run` runs it: SQLite (IMMEDIATE, WAL), kombu's filesystem broker,
one worker with an embedded beat on the three queues, the dev server. 600 LINE follows arrive
through the webhook and an approved article is published while they are handled; with no manual
step, the push must reach the fake LINE. Run by hand; results in bench/README.md.

    .venv/bin/python bench/embedded_default.py [--follows 600]

Everything lives in a temporary directory (database, broker folders, beat schedule); the fake LINE
runs in its own process and validates every request against messaging-api.yml.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = "bench-channel-secret-0123456789ab"
WAIT = 900


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def follow_body(index):
    event = {
        "type": "follow",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": f"U{index:032x}"},
        "webhookEventId": "01" + secrets.token_hex(12).upper(),
        "deliveryContext": {"isRedelivery": False},
        "replyToken": secrets.token_hex(16),
        "follow": {"isUnblocked": False},
    }
    return json.dumps({"destination": "U" + "0" * 32, "events": [event]}).encode()


def post_follow(url, index):
    raw = follow_body(index)
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    request = urllib.request.Request(
        url, data=raw, headers={"Content-Type": "application/json", "x-line-signature": signature}
    )
    for _ in range(20):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.5)
    return 0  # never answered


def wait_for_server(url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the dev server did not start")


def fake_stats(base_url):
    with urllib.request.urlopen(f"{base_url}/__fake__/stats", timeout=10) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--follows", type=int, default=600)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="oyako-embedded-"))
    for folder in ("broker/out", "broker/processed", "cache"):
        (tmp / "var" / folder).mkdir(parents=True)
    fake = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.serve", "line"], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    info = json.loads(fake.stdout.readline())
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "OYAKO_VAR_DIR": str(tmp / "var"),
        "OYAKO_SQLITE_PATH": str(tmp / "db.sqlite3"),
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": info["access_token"],
        "LINE_API_BASE_URL": info["base_url"],
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("DATABASE_URL", None)
    processes = [fake]
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=REPO_ROOT,
            env=env,
            check=True,
        )
        log = open(tmp / "worker.log", "w")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "cms",
                    "worker",
                    "--beat",
                    "-Q",
                    "pushes,webhook,housekeeping",
                    "--schedule",
                    str(tmp / "var" / "beat-schedule"),
                    "--concurrency",
                    "2",
                    "--loglevel=WARNING",
                ],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=REPO_ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        url = f"http://127.0.0.1:{port}/line/webhook/"
        wait_for_server(url)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda i: post_follow(url, i), range(args.follows)))
        posted_s = time.monotonic() - started
        print(f"{args.follows} follows posted in {posted_s:.1f} s; answers: {dict(Counter(statuses))}")

        # The publish, in this process, on the same SQLite and broker, while the follows are handled.
        os.environ.update(env)
        sys.path.insert(0, str(REPO_ROOT))
        import django

        django.setup()
        from bench.fault_injection import make_article
        from notifications.models import LineFollower, NotificationStatus

        published = time.monotonic()
        page = make_article()  # approved and published; the push is issued below, as publishing does
        from django.db import transaction

        from notifications import services

        with transaction.atomic():
            notification = services.issue(
                source=f"embedded:{page.pk}", page=page, title=page.title, text=page.summary
            )
        print(f"published and recorded in {time.monotonic() - published:.1f} s (no 'database is locked')")
        deadline = time.monotonic() + WAIT
        followers_done = None
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if followers_done is None and LineFollower.objects.active().count() == args.follows:
                followers_done = time.monotonic() - started
            if (
                notification.status not in (NotificationStatus.PENDING, NotificationStatus.SENDING)
                and followers_done
            ):
                break
            time.sleep(1)
        stats = fake_stats(info["base_url"])
        planned = sum(notification.batches.values_list("recipient_count", flat=True))
        result = {
            "follows": args.follows,
            "followers_active": LineFollower.objects.active().count(),
            "follows_drained_s": round(followers_done, 1) if followers_done else None,
            "push_status": notification.status,
            "push_done_after_publish_s": round(
                (notification.finished_at - notification.created_at).total_seconds(), 1
            )
            if notification.finished_at
            else None,
            "push_recipients_planned": planned,
            "line_recipients_delivered": stats["recipients"],
            "most_per_recipient": stats["most_per_recipient"],
            "recoveries": notification.recoveries,
            "spec_errors": stats["errors"],
        }
        print(json.dumps(result, ensure_ascii=False))
        ok = notification.status == NotificationStatus.SENT and stats["recipients"] == planned > 0
        print("OK: the push reached the fake LINE with no manual step" if ok else "NOT OK")
        return 0 if ok else 1
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
