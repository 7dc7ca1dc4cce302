"""Fault injection: a push fan-out survives a killed worker, a stopped database and a restarted
Redis while the fake LINE fails 30 % of requests. Run by hand; results in bench/README.md.

    .venv/bin/python bench/fault_injection.py --trials 5 --followers 5000 --scenario kill
    .venv/bin/python bench/fault_injection.py --trials 1 --scenario db-stop
    .venv/bin/python bench/fault_injection.py --trials 1 --scenario redis-restart

It never touches the shared PostgreSQL or Redis: it starts its OWN throwaway PostgreSQL (initdb into a
temporary directory as the `postgres` OS user, on a free port) and its OWN redis-server on a free
port, and stops only those. Per trial: N followers, one approved article published through
`notifications.services.issue` (queued on commit to Redis), a real `celery -A cms worker` fanning it
out to the fake LINE (`--fault-rate 0.3`: 500, 429 or an answer after the client's timeout). Then:

- kill: the worker is `kill -9`ed at a random moment in the fan-out and a second worker started;
- db-stop: PostgreSQL is stopped for a few seconds mid-fan-out and started again;
- redis-restart: Redis is stopped mid-fan-out (its queue is lost: no persistence) and started again.

This process also plays the process supervisor (systemd's `Restart=always`): a worker that exits
by itself is replaced and the moment is reported (`workers_exited_by_themselves_at_s`). kombu 5.7's
Redis transport can exit the worker with `Unrecoverable error: AttributeError('NoneType' object has
no attribute 'hostname')` when the broker connection drops while it restores unacknowledged
messages, so production must run workers under a supervisor that restarts them.

This process plays the beat: it queues `sweep_notifications` every few seconds (the real beat does it
every minute; the claim lease and sweep grace are shortened to 20 s and 10 s for the run). After each
trial it checks: every follower received the notification exactly once (the fake counts deliveries
by retry key and recipient, and by recipient), the KPI counted it once, the push log says sent.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TRIAL_TIMEOUT = 600


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """A throwaway PostgreSQL cluster owned by the OS user postgres, on a free port."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="oyako-bench-pg-"))
        self.socket_dir = Path(tempfile.mkdtemp(prefix="oyako-bench-pgsock-"))
        shutil.chown(self.dir, "postgres")
        shutil.chown(self.socket_dir, "postgres")
        self.port = free_port()
        self._as_postgres("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")
        self.start()
        self._as_postgres("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "oyako")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/oyako"

    def _as_postgres(self, *command):
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)

    def start(self):
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            "pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )

    def stop(self):
        self._as_postgres("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(self.socket_dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server of our own on a free port, with no persistence (a restart loses the queue)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def start_fake_line(fault_rate):
    process = subprocess.Popen(
        # A "timeout" answers after 11 s, past the LINE backend's 10 s read timeout.
        [
            sys.executable,
            "-m",
            "tests.fakes.serve",
            "line",
            "--fault-rate",
            str(fault_rate),
            "--timeout-delay",
            "11",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    info = json.loads(process.stdout.readline())
    return process, info


def fake_stats(base_url):
    with urllib.request.urlopen(f"{base_url}/__fake__/stats", timeout=10) as response:
        return json.load(response)


def start_worker(env, name):
    return subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "cms",
            "worker",
            "--pool=solo",
            "-n",
            f"{name}@%h",
            "-Q",
            "pushes,webhook,housekeeping",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=open(Path(tempfile.gettempdir()) / f"oyako-bench-{name}.log", "a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_article():
    import datetime

    from wagtail.models import Page, Site

    from articles.models import ArticleApproval, ArticleIndexPage, ArticlePage, Physician
    from home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="おやこハブ（サンプル）", slug="bench")
        )
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
        home.add_child(instance=ArticleIndexPage(title="記事", slug="articles"))
    index = ArticleIndexPage.objects.first()
    physician, _ = Physician.objects.get_or_create(
        name="医師 サンプル", defaults={"name_kana": "いし", "specialty": "paediatrics"}
    )
    page = ArticlePage(
        title=f"【サンプル】障害注入 {time.time_ns()}",
        summary="【サンプル】架空の記事です。",
        body=[("paragraph", "<p>【サンプル】架空の本文です。</p>")],
        physician=physician,
        live=False,
        notify_subscribers=False,
    )
    index.add_child(instance=page)
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


def run_trial(number, args, env, pg, redis_server, fake_url):
    from django.db import close_old_connections, transaction

    from notifications import kpi, services, tasks
    from notifications.models import LineFollower, Notification, NotificationStatus

    LineFollower.objects.all().delete()
    LineFollower.objects.bulk_create(
        [
            LineFollower(line_user_id=f"U{number:04d}{index:028x}", language="ja")
            for index in range(args.followers)
        ]
    )
    stats_before = fake_stats(fake_url)
    kpi_before = kpi.notifications_issued()
    page = make_article()
    worker = start_worker(env, f"w{number}a")
    with transaction.atomic():
        notification = services.issue(
            source=f"bench:{number}:{time.time_ns()}", page=page, title=page.title, text=page.summary
        )
    started = time.monotonic()
    # The fault comes at a random moment after the first multicast of this trial reached the fake.
    fault_delay = random.uniform(0, args.fault_window)
    fault_at, faulted, mid_fanout = None, False, None
    current, started_workers, worker_exits = worker, [worker], []
    last_sweep = 0.0
    while time.monotonic() - started < TRIAL_TIMEOUT:
        elapsed = time.monotonic() - started
        if fault_at is None and fake_stats(fake_url)["requests"] > stats_before["requests"] + 2:
            fault_at = elapsed + fault_delay
        if not faulted and fault_at is not None and elapsed >= fault_at:
            faulted = True
            close_old_connections()
            mid_fanout = Notification.objects.get(pk=notification.pk).status in (
                NotificationStatus.PENDING,
                NotificationStatus.SENDING,
            )
            if args.scenario == "kill":
                os.killpg(current.pid, signal.SIGKILL)
                current.wait()
                current = start_worker(env, f"w{number}b")
                started_workers.append(current)
            elif args.scenario == "db-stop":
                close_old_connections()
                from django.db import connections

                connections.close_all()
                pg.stop()
                time.sleep(args.outage)
                pg.start()
            elif args.scenario == "redis-restart":
                redis_server.stop()
                time.sleep(args.outage)
                redis_server.start()
        # This process also plays the process supervisor (systemd's Restart=always in production):
        # a worker that exited by itself is replaced, as the killed one is in the kill scenario.
        if current.poll() is not None:
            worker_exits.append(round(time.monotonic() - started, 1))
            current = start_worker(env, f"w{number}r{len(worker_exits)}")
            started_workers.append(current)
        if time.monotonic() - last_sweep > 5:  # this process plays the beat
            last_sweep = time.monotonic()
            try:
                tasks.sweep_notifications.delay()
            except Exception as error:  # the broker is down in the redis scenario
                print(f"  beat: {type(error).__name__}")
        try:
            close_old_connections()
            status = Notification.objects.get(pk=notification.pk).status
        except Exception:
            time.sleep(0.5)
            continue
        if faulted and status not in (NotificationStatus.PENDING, NotificationStatus.SENDING):
            break
        time.sleep(0.5)
    duration = time.monotonic() - started
    notification.refresh_from_db()
    stats = fake_stats(fake_url)
    for process in started_workers:
        stop(process)
    delivered_now = stats["recipients"] - stats_before["recipients"]
    result = {
        "trial": number,
        "scenario": args.scenario,
        "fault_at_s": round(fault_at or -1, 1),
        "fault_mid_fanout": mid_fanout,
        "seconds": round(duration, 1),
        "status": notification.status,
        "followers": args.followers,
        "recipients_delivered": delivered_now,
        "most_per_recipient": stats["most_per_recipient"],
        "most_per_key_and_recipient": stats["most_per_key_and_recipient"],
        "kpi_delta": kpi.notifications_issued() - kpi_before,
        "recoveries": notification.recoveries,
        "fake_requests": stats["requests"] - stats_before["requests"],
        "spec_errors": stats["errors"],
        "workers_exited_by_themselves_at_s": worker_exits,
    }
    result["ok"] = (
        notification.status == NotificationStatus.SENT
        and delivered_now == args.followers
        and stats["most_per_recipient"] == 1
        and result["kpi_delta"] == 1
        and not stats["errors"]
    )
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument("--scenario", choices=["kill", "db-stop", "redis-restart"], default="kill")
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument(
        "--fault-window", type=float, default=2.0, help="the fault comes 0..N s after the first multicast"
    )
    parser.add_argument("--outage", type=float, default=4.0, help="seconds the database or Redis is down")
    args = parser.parse_args()

    pg, redis_server, fake = None, None, None
    try:
        pg = PrivatePostgres()
        redis_server = PrivateRedis()
        fake, info = start_fake_line(args.fault_rate)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test_services",
            "DATABASE_URL": pg.url,
            "REDIS_URL": redis_server.url,
            "SERVICES_QUEUE": "bench",
            "LINE_API_BASE_URL": info["base_url"],
            "LINE_CHANNEL_ACCESS_TOKEN": info["access_token"],
            "NOTIFICATIONS_CLAIM_LEASE_SECONDS": "20",
            "NOTIFICATIONS_SWEEP_GRACE_SECONDS": "10",
            "NOTIFICATIONS_BACKOFF_SECONDS": "0.5",
        }
        setup_django(env)
        results = []
        for number in range(1, args.trials + 1):
            result = run_trial(number, args, env, pg, redis_server, info["base_url"])
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        passed = sum(r["ok"] for r in results)
        print(f"{args.scenario}: {passed} of {len(results)} trials exactly once, counted once, sent")
        return 0 if passed == len(results) else 1
    finally:
        if fake:
            stop(fake)
        if redis_server:
            redis_server.stop()
        if pg:
            from django.db import connections

            connections.close_all()
            pg.destroy()


if __name__ == "__main__":
    sys.exit(main())
