"""The Content-Security-Policy: enforced on every public page type, looser only under the admin."""

import io
import re
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command

from wagtail.models import Page, Site

from .conftest import password_sign_in

pytestmark = [pytest.mark.django_db]

HEADER = "Content-Security-Policy"


def directives(header):
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.fixture
def demo_site(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("load_demo_content", stdout=io.StringIO())
    return Site.objects.get(is_default_site=True)


def assert_strict(response, url):
    assert response.status_code == 200, url
    assert HEADER in response, url
    policy = directives(response[HEADER])
    assert policy["script-src"] == ["'self'"], url
    assert policy["style-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"], url
    assert "Content-Security-Policy-Report-Only" not in response, url


def test_every_live_page_of_the_demo_site_carries_the_strict_policy(client, demo_site):
    pages = Page.objects.live().descendant_of(demo_site.root_page, inclusive=True).specific()
    page_types = set()
    for page in pages:
        url = page.get_url()
        response = client.get(url)
        if type(page).__name__ == "MessageSeriesPage":
            # A timed-message series is a container for editors; parents never see it as a page.
            assert response.status_code == 404, url
            assert directives(response[HEADER])["script-src"] == ["'self'"], url
            continue
        assert_strict(response, url)
        page_types.add(type(page).__name__)
    # Home, article index, article, campaign index, campaign: every public page type there is.
    assert {"HomePage", "ArticleIndexPage", "ArticlePage", "CampaignIndexPage", "CampaignPage"} <= page_types
    for url in ["/search/?q=発熱", "/search/", "/en/", "/en/search/?q=fever", "/help/", "/en/help/"]:
        assert_strict(client.get(url), url)


def test_a_missing_page_carries_the_policy_too(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert directives(response[HEADER])["script-src"] == ["'self'"]


def test_the_admin_gets_its_own_looser_policy_and_still_works(client, home_page, django_user_model):
    admin = django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")
    password_sign_in(client, admin)
    for url in ["/admin/", "/admin/pages/", f"/admin/pages/{home_page.pk}/edit/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response[HEADER])
        assert "'unsafe-inline'" in policy["script-src"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'self'"], url


def test_the_admin_login_page_carries_the_admin_policy(client, db):
    response = client.get("/admin/login/")
    assert directives(response[HEADER])["form-action"] == ["'self'"]


# Public templates of every app that serves the public site (apps not present yet are skipped).
PUBLIC_TEMPLATES = [
    path
    for app in ("home", "articles", "campaigns", "guidance", "milestones", "outcomes")
    for path in sorted((Path(settings.BASE_DIR) / app / "templates").glob("**/*.html"))
    if not {"admin", "wagtailadmin", "reports", "panels", "email", "emails"} & set(path.parts)
]
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
]


@pytest.mark.parametrize(
    "template", PUBLIC_TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR))
)
def test_public_templates_have_no_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    for pattern, what in INLINE:
        assert not pattern.search(text), f"{what} in {template}: the public policy would block it"
