"""The article listing costs the same number of queries however many cards show an image."""

import pytest
import wagtail_factories

from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def _listing_queries(client, url):
    client.get(url)  # renditions are created on the first view; count the views after it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_each_cards_image_does_not_cost_its_own_query(client, make_article, article_index, settings):
    settings.PAGECACHE_ENABLED = False  # count the listing's own queries
    make_article(title="画像つき記事 1", image=wagtail_factories.ImageFactory())
    one = _listing_queries(client, article_index.url)
    for number in range(2, 6):
        make_article(title=f"画像つき記事 {number}", image=wagtail_factories.ImageFactory())
    five = _listing_queries(client, article_index.url)
    assert five == one
