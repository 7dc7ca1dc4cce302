"""Run a fake in its own process (for the benchmark): ``python -m tests.fakes.serve line``.

Prints one JSON line with ``base_url`` (and ``credentials`` for FCM), then serves until killed.
Counts are read from ``GET /__fake__/stats``.
"""

import argparse
import json
import sys
import threading

from .fcm_server import FakeFcmServer
from .line_server import FakeLineServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["line", "fcm"])
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--timeout-delay", type=float, default=1.5, help="seconds a 'timeout' answer waits")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of multicasts failed at random")
    args = parser.parse_args()
    if args.kind == "line":
        server = FakeLineServer(
            latency=args.latency,
            validate=not args.no_validate,
            fault_rate=args.fault_rate,
            timeout_delay=args.timeout_delay,
        )
    else:
        server = FakeFcmServer(latency=args.latency)
    with server:
        info = {"base_url": server.base_url}
        if args.kind == "line":
            info["access_token"] = server.access_token
        else:
            info["credentials"] = server.credentials()
        sys.stdout.write(json.dumps(info) + "\n")
        sys.stdout.flush()
        threading.Event().wait()


if __name__ == "__main__":
    main()
