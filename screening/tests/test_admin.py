"""The admin: the bands' changes are in the history, there are always four; the report counts from
rows with small numbers suppressed; only the Outcome data group sees kept results."""

import datetime

import pytest

from django.contrib.auth.models import Group

from wagtail.models import ModelLogEntry

from screening.admin_views import monthly_report
from screening.flow import subscriber_key
from screening.models import CheckRecord, KeptResult, Outcome, ScoreBand

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2026, 11, 1)


@pytest.fixture
def records(services):
    counselling, consultation = services
    rows = [
        CheckRecord(
            month=MONTH,
            channel="line",
            language="ja",
            outcome=Outcome.FINISHED,
            level=3,
            route="counselling",
            service=counselling,
        )
        for _ in range(6)
    ]
    rows += [
        CheckRecord(
            month=MONTH,
            channel="line",
            language="ja",
            outcome=Outcome.FINISHED,
            level=2,
            route="consultation",
            service=consultation,
        )
        for _ in range(2)
    ]
    rows += [
        CheckRecord(month=MONTH, channel="line", language="ja", outcome=Outcome.ITEM_9) for _ in range(3)
    ]
    CheckRecord.objects.bulk_create(rows)
    KeptResult.objects.create(subscriber_key=subscriber_key("U-x"), checked_on=MONTH, level=3, total=12)


def member(django_user_model, *groups, superuser=False):
    user = django_user_model.objects.create_user(
        f"user-{django_user_model.objects.count()}", password="sample-password-1"
    )
    user.is_superuser = superuser
    user.is_staff = True
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def test_the_report_counts_per_month_and_suppresses_small_numbers(records):
    services, months = monthly_report()
    assert services == sorted(["【サンプル】オンライン相談", "【サンプル】産後こころのカウンセリング"])
    month, started, finished, item9, routed = months[0]
    assert month == MONTH and started == 11
    assert str(finished) == "8" or finished == 8
    assert str(item9) == "fewer than 5" or str(item9) == "5人未満" or not isinstance(item9, int)
    by_service = dict(zip(services, routed, strict=True))
    assert by_service["【サンプル】産後こころのカウンセリング"] == 6
    assert not isinstance(by_service["【サンプル】オンライン相談"], int)


def test_only_outcome_data_sees_kept_results(client, django_user_model, records):
    physician = member(django_user_model, "Physicians")
    client.force_login(physician)
    page = client.get("/admin/screening/report/").content.decode()
    assert "Started" in page or "開始" in page
    assert subscriber_key("U-x")[:12] not in page
    client.force_login(member(django_user_model, "Administrators", superuser=True))
    assert subscriber_key("U-x")[:12] not in client.get("/admin/screening/report/").content.decode()
    client.force_login(member(django_user_model, "Administrators", "Outcome data"))
    assert subscriber_key("U-x")[:12] in client.get("/admin/screening/report/").content.decode()
    client.force_login(member(django_user_model, "Editors"))
    assert client.get("/admin/screening/report/").status_code in (302, 403)  # Wagtail: back to the dashboard


def test_a_change_to_a_band_is_in_the_history_and_bands_cannot_be_added(client, django_user_model, services):
    physician = member(django_user_model, "Physicians")
    client.force_login(physician)
    band = ScoreBand.objects.get(level=2)
    response = client.post(
        f"/admin/snippets/screening/scoreband/edit/{band.pk}/",
        {
            "max_total": 8,
            "route": "consultation",
            "service": services[1].pk,
            "follow_up_weeks": 6,
            "series_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    band.refresh_from_db()
    assert (band.max_total, band.follow_up_weeks) == (8, 6)
    entry = ModelLogEntry.objects.filter(object_id=str(band.pk), action="wagtail.edit").get()
    assert entry.user == physician
    assert client.get("/admin/snippets/screening/scoreband/add/").status_code in (302, 403)
    # Bounds out of order are refused and change nothing.
    response = client.post(
        f"/admin/snippets/screening/scoreband/edit/{band.pk}/",
        {
            "max_total": 2,
            "route": "consultation",
            "service": services[1].pk,
            "follow_up_weeks": 6,
            "series_url": "",
        },
    )
    assert response.status_code == 200
    band.refresh_from_db()
    assert band.max_total == 8
