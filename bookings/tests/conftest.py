import pytest

from bookings import outbox


class FakeDirect:
    """Stands in for notifications.direct where a test only needs to see what was recorded."""

    def __init__(self):
        self.rows = {}
        self.cancelled = []

    def record(
        self, *, kind, key, messages, language="ja", line_user_id=None, check="", not_before=None, **kw
    ):
        self.rows.setdefault(
            key,
            {
                "kind": kind,
                "messages": messages,
                "line_user_id": line_user_id,
                "check": check,
                "not_before": not_before,
            },
        )
        return self.rows[key]

    def cancel(self, key, reason=""):
        if key in self.rows:
            self.cancelled.append(key)

    def texts(self):
        return {key: row["messages"][0].text for key, row in self.rows.items()}


@pytest.fixture
def direct(monkeypatch):
    fake = FakeDirect()
    monkeypatch.setattr(outbox, "_direct", lambda: fake)
    return fake


from articles.tests.conftest import editor, other_physician, physician  # noqa: E402, F401
from guidance.tests.conftest import administrator, approved, approved_crisis_reply, bot  # noqa: E402, F401
from tests.fakes.fixtures import line_server  # noqa: E402, F401
