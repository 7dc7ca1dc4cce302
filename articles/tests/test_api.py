"""The handbook app reads published articles through Wagtail's API v2."""

import pytest

pytestmark = pytest.mark.django_db

FIELDS = "summary,life_stage_codes,physician,topics,last_reviewed_on,next_review_due,review_overdue"


def test_api_lists_live_articles_with_the_fields_an_app_needs(client, make_article):
    page = make_article(title="API の記事", life_stages=["age_1_3", "age_3_6"])
    make_article(title="下書き", publish=False)

    response = client.get("/api/v2/pages/", {"type": "articles.ArticlePage", "fields": FIELDS})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["API の記事"]
    item = items[0]
    assert item["summary"] == page.summary
    assert sorted(item["life_stage_codes"]) == ["age_1_3", "age_3_6"]
    assert item["physician"]["name"] == page.physician.name
    assert item["physician"]["specialty"] == "paediatrics"
    assert item["last_reviewed_on"] is not None and item["next_review_due"] is not None
    assert item["review_overdue"] is False


def test_api_detail_does_not_serve_drafts(client, make_article):
    draft = make_article(publish=False)
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_api_detail_serves_a_live_article_body(client, make_article):
    page = make_article()
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    assert response.json()["body"][0]["type"] == "paragraph"


def test_api_rejects_unknown_fields_with_a_clear_error(client, make_article):
    make_article()
    response = client.get("/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "password"})
    assert response.status_code == 400
    assert "password" in response.json()["message"]
