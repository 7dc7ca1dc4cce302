"""The short redirect: counts a click as a bare row, never breaks, never redirects elsewhere."""

import pytest

from django.urls import reverse

from measurement.links import allowed_target, tracked
from measurement.models import LinkClick, TrackedLink

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def own_site(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE
    settings.MEASUREMENT_LINK_HOSTS = ["www.city.example.jp"]


def _path(url):
    return url.removeprefix(SITE)


def test_one_token_per_source_and_target_and_each_click_is_a_row(client):
    first = tracked(f"{SITE}/articles/fever/", "article:1:2")
    again = tracked(f"{SITE}/articles/fever/", "article:1:2")
    other = tracked(f"{SITE}/articles/fever/", "campaign:9")
    assert first == again != other
    assert _path(first).startswith("/r/")

    for _n in range(3):
        response = client.get(_path(first))
        assert response.status_code == 302
        assert response["Location"] == f"{SITE}/articles/fever/"
    assert LinkClick.objects.filter(link__token=_path(first).split("/")[2]).count() == 3
    assert LinkClick.objects.count() == 3


def test_a_click_keeps_nothing_about_who_clicked(client):
    url = tracked(f"{SITE}/help/", "bot:faq")
    response = client.get(_path(url), HTTP_USER_AGENT="Line/14.0", REMOTE_ADDR="203.0.113.9")
    assert not response.cookies
    assert {f.name for f in LinkClick._meta.get_fields()} == {"id", "link", "clicked_at"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_an_unknown_or_mangled_token_lands_on_the_home_page(client):
    for path in ["/r/doesnotexist/", "/r/" + "x" * 200 + "/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/"
    assert LinkClick.objects.count() == 0


def test_a_head_request_follows_but_does_not_count(client):
    url = tracked(f"{SITE}/help/", "bot:faq")
    assert client.head(_path(url)).status_code == 302
    assert LinkClick.objects.count() == 0


def test_no_open_redirect(client):
    assert tracked("https://evil.example.com/phish", "x") == "https://evil.example.com/phish"
    assert not TrackedLink.objects.exists()
    assert allowed_target("https://www.city.example.jp/kosodate/")
    assert not allowed_target("http://www.city.example.jp/kosodate/")  # approved hosts over HTTPS only
    assert not allowed_target("javascript:alert(1)")
    # A row whose target is no longer approved (the setting changed) goes home, not there.
    link = TrackedLink.objects.create(source="x", target="https://formerly-approved.example.org/")
    response = client.get(reverse("measurement:redirect", args=[link.token]))
    assert response["Location"] == "/"
    assert LinkClick.objects.count() == 1  # still counted: the parent did click


def test_the_redirect_is_never_served_from_the_page_cache(client, settings):
    settings.PAGECACHE_ENABLED = True
    url = tracked(f"{SITE}/help/", "bot:faq")
    client.get(_path(url))
    client.get(_path(url))
    assert LinkClick.objects.count() == 2
