"""The app API's children for a device: list, add, correct (a birth too), remove; bad input changes
nothing."""

import json

import pytest

from django.core.cache import cache
from django.utils import timezone

from families.models import Child
from notifications.models import AppDevice
from notifications.models.subscribers import add_months

URL = "/api/app/v1/children/"
KEY = "app-key-for-tests-0123456789"
TOKEN = "fcm-token_ABCdef:0123456789-abcdefghijkl"

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture(autouse=True)
def app_key(settings):
    settings.APP_API_KEY = KEY
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call(client):
    def send(method, payload, key=KEY):
        return getattr(client, method)(
            URL, data=json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    return send


@pytest.fixture
def device(db):
    return AppDevice.objects.create(token=TOKEN, platform="android")


def ym(months):
    return f"{add_months(timezone.localdate(), months):%Y-%m}"


def test_a_device_adds_lists_corrects_and_removes_its_children(call, device):
    due = call("post", {"token": TOKEN, "due_month": ym(2)})
    assert due.status_code == 201 and due.json()["due_month"] == ym(2)
    born = call("post", {"token": TOKEN, "birth_month": ym(-14), "nickname": "りく"})
    assert born.json()["life_stage"] == "age_1_3"
    listed = call("post", {"token": TOKEN}).json()["children"]
    assert [child["nickname"] for child in listed] == ["", "りく"]

    birth = call("patch", {"token": TOKEN, "id": str(due.json()["id"]), "birth_month": ym(0)})
    assert birth.status_code == 200 and birth.json()["birth_month"] == ym(0)
    assert birth.json()["due_month"] == ym(2)  # the due month is kept; the child is the same

    assert call("delete", {"token": TOKEN, "id": str(born.json()["id"])}).status_code == 204
    assert Child.objects.count() == 1
    device.refresh_from_db()
    assert device.stage_chosen


def test_bad_input_answers_400_and_changes_nothing(call, device):
    assert call("post", {"token": TOKEN, "due_month": ym(14)}).status_code == 400
    assert call("post", {"token": TOKEN, "due_month": "2026-13"}).status_code == 400
    assert call("post", {"token": TOKEN, "due_month": ym(1), "birth_month": ym(-1)}).status_code == 400
    assert call("post", {"token": TOKEN, "birth_month": ym(-1), "nickname": "x" * 21}).status_code == 400
    assert call("post", {"token": TOKEN, "name": "本名"}).status_code == 400
    assert call("post", {"token": TOKEN, "due_month": ym(1)}, key="wrong").status_code == 401
    assert call("patch", {"token": TOKEN, "id": "999", "due_month": ym(1)}).status_code == 404
    assert not Child.objects.exists()
