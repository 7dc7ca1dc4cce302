"""The notification tests' fixtures (fake LINE, followers, articles) for measurement's tests."""

import pytest

from guidance.tests.conftest import bot  # noqa: F401
from notifications.tests.conftest import (  # noqa: F401
    article_index,
    fcm_server,
    followers,
    line_server,
    new_article,
    physician,
    publish,
    queued,
)


@pytest.fixture(autouse=True)
def tracked_links(settings):
    """Links through the redirect, as in every configuration but the other apps' tests."""
    settings.MEASUREMENT_TRACKED_LINKS = True
