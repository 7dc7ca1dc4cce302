import pytest

from guidance.factories import ConsultationServiceFactory

pytestmark = pytest.mark.django_db


def test_an_article_links_to_a_service_with_its_open_now_state(client, make_article):
    service = ConsultationServiceFactory(
        name="【サンプル】産後こころの相談", all_hours=True, phone="0120-000-000"
    )
    article = make_article(
        title="【サンプル】産後の気分の落ち込み",
        body=[("paragraph", "<p>【サンプル】本文</p>"), ("service", {"service": service})],
    )

    html = client.get(article.url).content.decode()

    assert "【サンプル】産後こころの相談" in html
    assert "受付中 · 24時間" in html
    assert 'href="tel:0120000000"' in html
