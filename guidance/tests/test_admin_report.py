import datetime
import itertools

import pytest

from django.urls import reverse
from django.utils import timezone

from guidance.admin_views import monthly_counts
from guidance.models import BotReply, Route, UnansweredQuestion

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


EVENT_IDS = itertools.count()


def reply(route, when):
    event_id = f"event-{next(EVENT_IDS)}"
    return BotReply.objects.create(route=route, language="ja", answered_at=when, webhook_event_id=event_id)


def test_counts_per_route_and_month_are_derived_from_the_rows():
    october = timezone.make_aware(datetime.datetime(2027, 10, 15, 3, 0))
    november = timezone.make_aware(datetime.datetime(2027, 11, 1, 0, 30))  # Tokyo: still 1 November
    for route in (Route.CRISIS, Route.ANSWER, Route.ANSWER, Route.FALLBACK):
        reply(route, october)
    reply(Route.ARTICLES, november)

    months = monthly_counts()

    assert [month.strftime("%Y-%m") for month, _counts, _total in months] == ["2027-11", "2027-10"]
    assert months[1][1] == {
        "crisis": 1,
        "menu": 0,
        "answer": 2,
        "articles": 0,
        "fallback": 1,
        "signup": 0,
        "screening": 0,
        "booking": 0,
        "consult": 0,
    }
    assert months[1][2] == 4 and months[0][2] == 1


def test_editors_see_the_report_with_masked_questions(client, editor):
    reply(Route.FALLBACK, timezone.now())
    UnansweredQuestion.objects.create(text="【サンプル】[phone] に電話していい？", language="ja")
    client.force_login(editor)

    html = client.get(reverse("guidance_bot_report")).content.decode()

    assert "【サンプル】[phone] に電話していい？" in html
    assert "案内（該当なし）" in html


def test_the_report_says_what_is_masked(client, editor):
    client.force_login(editor)

    html = client.get(reverse("guidance_bot_report")).content.decode()

    for label in ("[name]", "[place]", "[address]", "[phone]", "[number]", "[date]", "[email]", "[id]"):
        assert f"<code>{label}</code>" in html
    assert "SudachiPy" in html


def test_people_without_the_permission_do_not(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("sample-viewer", "viewer@example.jp", "sample-password")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(reverse("guidance_bot_report"))

    assert response.status_code in (302, 403)
    assert "LINEボット" not in response.content.decode()
