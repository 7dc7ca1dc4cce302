"""Fixtures for the tests that cross apps."""

from tests.fakes.fixtures import fcm_server, line_server, short_line_timeout  # noqa: F401
