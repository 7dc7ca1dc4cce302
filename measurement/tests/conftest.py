"""The notification tests' fixtures (fake LINE, followers, articles) for measurement's tests."""

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
