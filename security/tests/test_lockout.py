"""Throttled sign-in: failures for one account or from one address lock it for a stated time."""

import datetime
import logging

import pytest
import time_machine

from django.core.cache import cache

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db]

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(client, username, password, address="203.0.113.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_with_the_right_password(client, editor_user, caplog):
    for _ in range(4):
        assert attempt(client, "sample-editor", "wrong").status_code == 200  # the form again
    with caplog.at_level(logging.WARNING, logger="security"):
        locked = attempt(client, "sample-editor", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "15" in text  # the stated cool-off, in minutes
    assert any("username='sample-editor'" in record.getMessage() for record in caplog.records)
    assert not any("wrong" in record.getMessage() for record in caplog.records)  # no password in the log

    right = attempt(client, "sample-editor", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_from_any_address(client, editor_user):
    for index in range(5):
        attempt(client, "sample-editor", "wrong", address=f"198.51.100.{index}")
    assert attempt(client, "sample-editor", PASSWORD, address="198.51.100.99").status_code == 429


def test_the_lock_is_per_address_across_accounts(client, editor_user, physician_user):
    for index in range(5):
        attempt(client, f"no-such-user-{index}", "wrong", address="192.0.2.7")
    assert attempt(client, "sample-physician", PASSWORD, address="192.0.2.7").status_code == 429
    # Another address is not locked.
    assert attempt(client, "sample-physician", PASSWORD, address="192.0.2.8").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, editor_user):
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            attempt(client, "sample-editor", "wrong")
        assert attempt(client, "sample-editor", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=14))
        assert attempt(client, "sample-editor", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=16))
        response = attempt(client, "sample-editor", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(editor_user.pk)


def test_a_success_before_the_limit_starts_the_count_again(client, editor_user):
    for _ in range(4):
        attempt(client, "sample-editor", "wrong")
    assert attempt(client, "sample-editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "sample-editor", "wrong").status_code == 200
    assert attempt(client, "sample-editor", PASSWORD).status_code == 302


def test_the_lockout_message_is_japanese_by_default(client, editor_user):
    for _ in range(5):
        response = attempt(client, "sample-editor", "wrong")
    assert "15分" in response.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.5"),  # no proxy: the header is the client's and is ignored
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged entry on the left is skipped
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, "", "10.0.0.5"),
    ],
)
def test_the_address_is_read_behind_the_trusted_proxies(rf, settings, proxies, forwarded, expected):
    from security.lockout import client_address

    settings.OYAKO_TRUSTED_PROXY_COUNT = proxies
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_a_proxy_each_client_address_is_counted_on_its_own(client, settings, editor_user):
    settings.OYAKO_TRUSTED_PROXY_COUNT = 1
    for index in range(5):
        client.post(
            LOGIN,
            {"username": f"no-such-user-{index}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="192.0.2.7",
        )
    # A colleague's address behind the same proxy is not locked out.
    response = client.post(
        LOGIN,
        {"username": "sample-editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="192.0.2.8",
    )
    assert response.status_code == 302
