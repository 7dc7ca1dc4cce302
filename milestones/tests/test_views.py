"""The series timeline in the admin: each message's moment, target, state and the pause buttons."""

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from milestones.enums import Moment
from milestones.models import Pause

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def series(make_series, make_article):
    healthy = make_article(title="【サンプル】予防接種")
    withdrawn = make_article(title="【サンプル】取り下げた記事")
    series = make_series(
        [
            {"text": "【サンプル】5か月です", "target": healthy, "moment": Moment.AGE, "months": 5},
            {
                "text": "【サンプル】予定月2か月前",
                "target": withdrawn,
                "moment": Moment.PREGNANCY,
                "months": 2,
            },
        ]
    )
    withdrawn.unpublish()
    return series


def test_timeline_lists_messages_in_family_order_with_the_reason_one_is_held(admin_client, series):
    response = admin_client.get(reverse("milestones_timeline", args=[series.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("予定月2か月前") < html.index("5か月です")  # pregnancy first
    with translation.override("ja"):
        reason = gettext("The page is not live.")
    assert reason in html


def test_pausing_and_resuming_a_message_from_the_timeline(admin_client, series):
    message = series.timeline()[1]
    url = reverse("milestones_pause", args=[series.pk])
    assert admin_client.get(url).status_code == 405
    admin_client.post(url, {"message": message.pk, "action": "pause"})
    assert Pause.objects.filter(series=series, message_id=message.pk).exists()
    admin_client.post(url, {"message": message.pk, "action": "resume"})
    assert not Pause.objects.exists()
    admin_client.post(url, {"action": "pause"})
    assert Pause.objects.filter(series=series, message_id=None).exists()


def test_a_message_of_another_series_cannot_be_paused_here(admin_client, series, make_series, make_article):
    other = make_series([{"text": "x", "target": make_article(title="t"), "moment": Moment.AGE, "months": 1}])
    admin_client.post(
        reverse("milestones_pause", args=[series.pk]), {"message": other.messages.get().pk, "action": "pause"}
    )
    assert not Pause.objects.exists()


def test_users_who_cannot_edit_the_series_see_no_timeline(client, django_user_model, series):
    user = django_user_model.objects.create_user("reader", "r@example.jp", "pw")
    client.force_login(user)
    response = client.get(reverse("milestones_timeline", args=[series.pk]))
    assert response.status_code in (302, 403)
