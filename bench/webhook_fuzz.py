"""Benchmark: the property-based webhook fuzz with 10,000 generated bodies (run by hand).

    .venv/bin/python bench/webhook_fuzz.py [--examples 10000]

Runs notifications/tests/test_webhook_fuzz.py with FUZZ_EXAMPLES and a random (not derandomized)
seed, and prints hypothesis' statistics and the outcome counts (status codes per signature kind,
events applied by the task, replays). Event times are mostly within the webhook's window, some
older or ahead of it. Any 5xx, any row from an unsigned body or any exception from the task fails
the run. The replay property (FUZZ_EXAMPLES / 4 examples) sends a signed body of follows, unfollows
and postbacks, applies it, then sends it again at once, or 2, 8 or 31 days later after the purge
of event records and clocks: the second delivery must change no subscriber, and one past the
window must queue nothing.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args()
    env = {**os.environ, "FUZZ_EXAMPLES": str(args.examples), "FUZZ_RANDOM": "1"}
    env.pop("DATABASE_URL", None)
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "notifications/tests/test_webhook_fuzz.py",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            "-W",
            "ignore",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wanted = ("webhook fuzz outcomes", "passed", "failed", "- ", "Stopped because", "Falsifying")
    for line in result.stdout.splitlines():
        if line.strip().startswith(wanted) or any(w in line for w in wanted[:3]):
            print(line)
    if result.returncode:
        print(result.stdout[-6000:])
    print(
        f"examples requested: {args.examples}, wall time: {time.monotonic() - started:.0f} s, "
        f"exit {result.returncode}"
    )
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
