"""The images API shows the app only the pictures of live, public pages."""

import pytest
import wagtail_factories

from wagtail.models import PageViewRestriction

pytestmark = [pytest.mark.portable, pytest.mark.django_db]

URL = "/api/v2/images/"


@pytest.fixture
def pages(make_article, django_capture_on_commit_callbacks):
    """Images used by a live article (its image, its body), a never-published draft, the draft
    revision of a live article, a live article under a view restriction, and by nothing."""
    image = wagtail_factories.ImageFactory
    found = {
        "card": image(title="【サンプル】公開記事の写真"),
        "body": image(title="【サンプル】本文の写真"),
        "draft": image(title="【下書き】ケースの写真"),
        "draft revision": image(title="【下書き】差し替え予定の写真"),
        "private": image(title="【サンプル】限定公開の写真"),
        "unused": image(title="【サンプル】未使用の写真"),
    }
    # The reference index is updated on commit, as it is after every request that saves a page.
    with django_capture_on_commit_callbacks(execute=True):
        live = make_article(image=found["card"], body=[("image", found["body"])])
        make_article(publish=False, image=found["draft"])
        live.image = found["draft revision"]
        live.save_revision()  # a draft of the live article, not published
        private = make_article(image=found["private"])
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return found


def test_images_api_lists_only_the_images_of_live_public_pages(client, pages):
    response = client.get(URL, {"limit": 50})

    assert response.status_code == 200
    titles = sorted(item["title"] for item in response.json()["items"])
    assert titles == sorted([pages["card"].title, pages["body"].title])
    assert "【下書き】" not in response.content.decode()


@pytest.mark.parametrize("name", ["draft", "draft revision", "private", "unused"])
def test_images_api_serves_no_image_a_parent_cannot_see_on_a_page(client, pages, name):
    response = client.get(f"{URL}{pages[name].pk}/")

    assert response.status_code == 404
    assert pages[name].file.url not in response.content.decode()


def test_images_api_serves_the_image_of_a_live_page_with_its_download_link(client, pages):
    response = client.get(f"{URL}{pages['body'].pk}/")

    assert response.status_code == 200
    assert response.json()["meta"]["download_url"].endswith(pages["body"].file.url)


def test_pages_api_still_gives_the_app_each_articles_image_rendition(client, pages):
    response = client.get("/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "image_thumbnail"})

    thumbnails = [item["image_thumbnail"] for item in response.json()["items"]]
    assert len(thumbnails) == 1 and thumbnails[0]["url"].startswith("/media/images/")
