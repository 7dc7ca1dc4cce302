"""Browsers ask for /favicon.ico whatever a page links: it answers with the hub's icon."""

import pytest
from PIL import Image

from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")


def test_the_icon_is_a_real_multi_size_icon():
    path = finders.find("favicon.ico")
    assert path
    with Image.open(path) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


@pytest.mark.django_db
def test_pages_link_the_icon(client, home_page):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in html
