"""Backends: LINE's Flex message is spec-valid with lengths counted in UTF-16 units."""

import pytest

from notifications.backends import get_backends
from notifications.backends.base import Content, truncate_utf16, utf16_length
from notifications.backends.line import ALT_TEXT_LIMIT, flex_message
from notifications.backends.recording import RecordingBackend
from tests.fakes import openapi

pytestmark = pytest.mark.portable
SPEC = openapi.find_spec("messaging-api.yml")


def _content(**kwargs):
    fields = {
        "title": "【サンプル】題",
        "text": "【サンプル】本文",
        "url": "https://example.jp/a/",
        "button_label": "記事を読む",
    }
    return Content(**{**fields, **kwargs})


def test_flex_message_is_valid_against_the_spec():
    message = flex_message(_content(image_url="https://example.jp/i.jpg")).to_dict()

    openapi.validate(SPEC, "Message", message)


def test_validator_follows_the_discriminator_and_rejects_flex_without_alt_text():
    message = flex_message(_content()).to_dict()
    del message["altText"]

    errors = openapi.errors_for(SPEC, "Message", message)

    assert any("altText" in error for error in errors)


def test_plain_json_schema_would_accept_the_flex_without_alt_text():
    """Why the validator above exists: the Message base schema alone does not ask for altText."""
    import jsonschema

    spec = openapi.load_spec(str(SPEC))
    message = flex_message(_content()).to_dict()
    del message["altText"]
    base = {**spec["components"]["schemas"]["Message"]}
    base.pop("discriminator", None)

    jsonschema.validate(message, base)  # raises nothing


def test_alt_text_is_cut_in_utf16_units_without_splitting_surrogate_pairs():
    title = "👶" * 1000  # 2000 UTF-16 units

    alt_text = flex_message(_content(title=title)).alt_text

    assert utf16_length(alt_text) <= ALT_TEXT_LIMIT
    assert alt_text.encode("utf-16-le").decode("utf-16-le") == alt_text
    assert alt_text.endswith("…")


@pytest.mark.parametrize(
    ("text", "limit", "expected"), [("abc", 3, "abc"), ("abcd", 3, "ab…"), ("a👶b", 3, "a…")]
)
def test_truncate_utf16(text, limit, expected):
    assert truncate_utf16(text, limit) == expected


def test_without_credentials_every_channel_records(settings):
    settings.NOTIFICATIONS_BACKENDS = {
        "line": {"BACKEND": "notifications.backends.recording.RecordingBackend"},
        "fcm": {"BACKEND": "notifications.backends.recording.RecordingBackend"},
    }

    backends = get_backends()

    assert all(isinstance(backend, RecordingBackend) for backend in backends.values())
