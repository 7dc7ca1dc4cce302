"""The "Reviews due" report and its dashboard panel."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from articles.factories import PhysicianFactory
from articles.reports import approvals_due

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def articles_by_review_date(make_article):
    today = timezone.localdate()

    def reviewed(days_until_due, title):
        page = make_article(title=title, physician=PhysicianFactory(name=f"{title}の医師"))
        approval = page.live_approval
        approval.next_review_due = today + datetime.timedelta(days=days_until_due)
        approval.save()
        return page

    return {
        "overdue": reviewed(-3, "期限切れ（サンプル）"),
        "soon": reviewed(30, "まもなく（サンプル）"),
        "later": reviewed(31, "まだ先（サンプル）"),
    }


def test_reviews_due_lists_overdue_and_within_30_days_soonest_first(articles_by_review_date):
    pages = [approval.page_id for approval in approvals_due()]
    assert pages == [articles_by_review_date["overdue"].pk, articles_by_review_date["soon"].pk]


def test_reviews_due_ignores_a_superseded_approval(articles_by_review_date):
    from articles.factories import publish_approved

    page = articles_by_review_date["overdue"]
    publish_approved(page)  # re-approved today: due again in a year
    assert page.pk not in [approval.page_id for approval in approvals_due()]


def test_the_report_shows_each_article_with_its_physician(client, superuser, articles_by_review_date):
    client.force_login(superuser)
    html = client.get(reverse("articles_reviews_due")).content.decode()
    assert "期限切れ（サンプル）の医師" in html and "まもなく（サンプル）" in html
    assert "まだ先（サンプル）" not in html


def test_physicians_and_editors_can_open_the_report(client, physician, editor, articles_by_review_date):
    for user in (physician.user, editor):
        client.force_login(user)
        assert client.get(reverse("articles_reviews_due")).status_code == 200


def test_the_dashboard_links_to_the_report(client, superuser, articles_by_review_date):
    client.force_login(superuser)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("articles_reviews_due") in html
    assert "期限切れ（サンプル）" in html


def test_an_overdue_article_says_so_on_its_public_page(client, articles_by_review_date):
    overdue = client.get(articles_by_review_date["overdue"].url).content.decode()
    current = client.get(articles_by_review_date["later"].url).content.decode()
    assert "notice--overdue" in overdue
    assert "notice--overdue" not in current


def test_the_reviews_due_export_writes_a_formula_like_title_as_text(client, superuser, make_article):
    import csv
    import io

    import openpyxl

    page = make_article(title='=HYPERLINK("https://evil.example/","開く")', physician=PhysicianFactory())
    approval = page.live_approval
    approval.next_review_due = timezone.localdate()
    approval.save()
    client.force_login(superuser)

    response = client.get(reverse("articles_reviews_due"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    titles = [row[0] for row in rows[1:]]
    assert titles == ['\'=HYPERLINK("https://evil.example/","開く")']

    response = client.get(reverse("articles_reviews_due"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_wagtails_own_reports_write_no_live_formula_either(client, superuser, make_article):
    """Site history, one of Wagtail's reports: the same neutralising as the hub's own exports."""
    import csv
    import io

    make_article(title="=cmd|' /C calc'!A0", physician=PhysicianFactory())
    client.force_login(superuser)

    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'=cmd|") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
