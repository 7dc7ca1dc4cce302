import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import AppDevice, LineFollower

USER_ID = "U4af4980629" + "0" * 22
TOKEN = "fcmTokenSecretPart_" + "x" * 40


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.jp", "pw")
    client.force_login(user)
    return client


def test_follower_list_shows_masked_ids_only(admin_client):
    LineFollower.objects.create(line_user_id=USER_ID, language="en")

    response = admin_client.get(reverse("linefollower:index"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "U4af…" in content
    assert USER_ID not in content


def test_device_inspect_view_shows_masked_token_only(admin_client):
    device = AppDevice.objects.create(token=TOKEN, platform="android")

    response = admin_client.get(reverse("appdevice:inspect", args=[device.pk]))

    assert response.status_code == 200
    assert "fcmT…" in response.content.decode()
    assert TOKEN not in response.content.decode()


def test_subscribers_cannot_be_added_edited_or_deleted_in_the_admin(admin_client):
    follower = LineFollower.objects.create(line_user_id=USER_ID)

    add = admin_client.get(reverse("linefollower:add"))
    edit = admin_client.post(reverse("linefollower:edit", args=[follower.pk]), {"language": "en"})
    delete = admin_client.post(reverse("linefollower:delete", args=[follower.pk]))

    assert add.status_code != 200
    assert edit.status_code != 200
    assert delete.status_code != 200
    follower.refresh_from_db()
    assert (follower.language, follower.line_user_id) == ("ja", USER_ID)
