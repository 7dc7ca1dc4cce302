"""A threaded local HTTP server that records requests, shared by the fake LINE and FCM servers."""

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512


class FakeServer:
    """Runs ``handle(method, path, headers, body) -> (status, headers, payload)`` on a free port.

    Answers can be scripted: ``fail_next(500, 429, "timeout")`` makes the next matching requests
    answer those statuses (a "timeout" is accepted, then answered too late for the client).
    ``latency`` (seconds) delays every answer, as a real network would.
    """

    def __init__(self, latency=0.0, timeout_delay=1.5):
        self.latency = latency
        self.timeout_delay = timeout_delay
        self.requests = []
        self.errors = []
        self.script = deque()
        self.lock = threading.Lock()
        self._httpd = None
        self._thread = None

    @property
    def base_url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, *answers):
        with self.lock:
            self.script.extend(answers)

    def next_scripted(self):
        with self.lock:
            return self.script.popleft() if self.script else None

    def handle(self, method, path, headers, body):
        raise NotImplementedError

    def stats(self):
        """Counts for a fake running in another process (``GET /__fake__/stats``)."""
        delivered = getattr(self, "delivered", {})
        with self.lock:
            return {
                "requests": len(self.requests),
                "errors": self.errors[:10],
                "recipients": len(delivered),
                "most_per_recipient": max(delivered.values(), default=0),
                "most_per_key_and_recipient": max(getattr(self, "deliveries", {}).values(), default=0),
            }

    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if fake.latency:
                    time.sleep(fake.latency)
                if self.path == "/__fake__/stats":
                    status, headers, payload = 200, {}, fake.stats()
                else:
                    status, headers, payload = fake.handle(self.command, self.path, self.headers, raw)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = _serve

            def log_message(self, format, *args):  # keep test output quiet
                pass

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    @staticmethod
    def json_body(raw):
        try:
            return json.loads(raw or b"null")
        except ValueError:
            return None
