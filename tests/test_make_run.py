"""`make run` as a new user runs it: it serves on the port asked for, says so, and stops within a
few seconds when its terminal's process group gets Ctrl-C (SIGINT) or SIGTERM, worker included.

Each run sets up its own SQLite file and var/ folder, so the developer's own database is untouched.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 420
STOP_SECONDS = 10


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes_of(marker):
    """Pids of every live process whose environment carries ``marker`` (the run's own var folder):
    the worker runs in a session of its own, so the process group alone does not find it."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue
            if marker in (entry / "environ").read_bytes():
                pids.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return pids


def _reset_signals():
    # A background job of a non-interactive shell inherits SIGINT ignored; a terminal's does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("make-run")


def _start(run_dir, port):
    log = (run_dir / f"run-{port}.log").open("wb")
    env = {
        key: value
        for key, value in os.environ.items()
        # What `make test` exports (its own make's flags, the base URL for port 8000) is not the user's.
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "PYTEST", "MAKE", "MFLAGS"))
        and key != "WAGTAILADMIN_BASE_URL"
    }
    env.update(
        OYAKO_SQLITE_PATH=str(run_dir / "db.sqlite3"),
        OYAKO_VAR_DIR=str(run_dir / "var"),
        OYAKO_MAKE_RUN_TEST=str(run_dir),
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_reset_signals,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run exited with {process.returncode}:\n{_tail(run_dir, port)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(1)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"make run did not serve within {STARTUP_SECONDS} s:\n{_tail(run_dir, port)}")
    # Let the worker and its beat start and run their first jobs, as a user's would.
    marker = f"OYAKO_MAKE_RUN_TEST={run_dir}".encode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and b"celery@" not in (run_dir / f"run-{port}.log").read_bytes():
        time.sleep(0.5)
    time.sleep(3)
    return process, marker


def _tail(run_dir, port):
    return (run_dir / f"run-{port}.log").read_text(errors="replace")[-3000:]


def _stop(process, marker, signum):
    started = _processes_of(marker)
    assert len(started) >= 3, "expected make, the dev server and the worker to be running"
    began = time.monotonic()
    os.killpg(process.pid, signum)
    while _processes_of(marker) and time.monotonic() - began < 60:
        time.sleep(0.1)
    took = time.monotonic() - began
    left = _processes_of(marker)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)
    return took, left


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_make_run_serves_its_port_and_stops_within_ten_seconds(run_dir, signum):
    port = _free_port()
    process, marker = _start(run_dir, port)
    output = (run_dir / f"run-{port}.log").read_text(errors="replace")
    took, left = _stop(process, marker, signum)

    assert f"http://127.0.0.1:{port}/admin/" in output
    assert "127.0.0.1:8000" not in output
    assert not left, f"still running after 60 s: {left}"
    assert took < STOP_SECONDS, f"make run took {took:.1f} s to stop:\n{_tail(run_dir, port)}"
