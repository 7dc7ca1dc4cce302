"""The footer on every page: the emergency numbers are tappable."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/en/", "/help/", "/search/"])
def test_the_footer_emergency_numbers_are_tel_links(client, home_page, path):
    response = client.get(path, follow=True)
    footer = BeautifulSoup(response.content, "html.parser").select_one("footer.site-footer")

    dials = {link["href"] for link in footer.select("a[href^='tel:']")}
    assert {"tel:119", "tel:%238000"} <= dials
