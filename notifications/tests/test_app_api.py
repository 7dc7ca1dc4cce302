import json

import pytest

from django.core.cache import cache

from articles.enums import LifeStage
from notifications import kpi
from notifications.models import AppDevice, SubscriberStatus

URL = "/api/app/v1/devices/"
KEY = "app-key-for-tests-0123456789"
TOKEN = "fcm-token_ABCdef:0123456789-abcdefghijkl"


@pytest.fixture(autouse=True)
def app_key(settings):
    settings.APP_API_KEY = KEY
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call(client):
    def send(method, payload, *, key=KEY, header="bearer", raw=None, **meta):
        headers = {}
        if key is not None and header == "bearer":
            headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        elif key is not None:
            headers = {"HTTP_X_APP_KEY": key}
        data = raw if raw is not None else json.dumps(payload)
        return getattr(client, method)(URL, data=data, content_type="application/json", **headers, **meta)

    return send


@pytest.mark.django_db
def test_register_creates_an_active_device_and_never_echoes_the_token(call):
    response = call("post", {"token": TOKEN, "platform": "ios", "life_stage": "age_0_1", "language": "en"})

    assert response.status_code == 201
    assert TOKEN not in response.content.decode()
    assert response.json() == {
        "platform": "ios",
        "life_stage": "age_0_1",
        "stage_chosen": True,
        "language": "en",
        "status": "active",
    }
    device = AppDevice.objects.get(token=TOKEN)
    assert device.current_life_stage() == LifeStage.AGE_0_1
    assert kpi.registrants() == 1


@pytest.mark.django_db
def test_register_is_an_idempotent_upsert_by_token(call):
    call("post", {"token": TOKEN, "platform": "android"})

    response = call("post", {"token": TOKEN, "platform": "android", "language": "en"})

    assert response.status_code == 200
    assert AppDevice.objects.count() == 1
    assert AppDevice.objects.get().language == "en"


@pytest.mark.django_db
def test_device_without_a_stage_receives_every_stage(call):
    call("post", {"token": TOKEN, "platform": "web"})

    assert AppDevice.objects.audience([LifeStage.AGE_3_6]).get().token == TOKEN


@pytest.mark.django_db
def test_due_month_gives_a_stage_that_advances_by_itself(call):
    response = call("post", {"token": TOKEN, "platform": "ios", "due_month": "2027-01"})

    assert response.status_code == 201, response.json()
    device = AppDevice.objects.get()
    assert str(device.due_month) == "2027-01-01"
    assert device.birth_month is None


@pytest.mark.django_db
def test_x_app_key_header_is_accepted_too(call):
    assert call("post", {"token": TOKEN, "platform": "ios"}, header="x-app-key").status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", "wrong-key", KEY + "x"])
def test_missing_or_wrong_app_key_gets_401_and_changes_nothing(call, key):
    response = call("post", {"token": TOKEN, "platform": "ios"}, key=key)

    assert response.status_code == 401
    assert not AppDevice.objects.exists()


@pytest.mark.django_db
def test_without_a_configured_key_the_api_answers_503(call, settings):
    settings.APP_API_KEY = ""

    response = call("post", {"token": TOKEN, "platform": "ios"}, key="")

    assert response.status_code == 503
    assert not AppDevice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"token": "short", "platform": "ios"}, "token"),
        ({"token": "bad token with spaces and more", "platform": "ios"}, "token"),
        ({"token": "x" * 513, "platform": "ios"}, "token"),
        ({"platform": "ios"}, "token"),
        ({"token": TOKEN}, "platform"),
        ({"token": TOKEN, "platform": "symbian"}, "platform"),
        ({"token": TOKEN, "platform": "ios", "life_stage": "teen"}, "life_stage"),
        ({"token": TOKEN, "platform": "ios", "language": "fr"}, "language"),
        ({"token": TOKEN, "platform": "ios", "due_month": "2027-13"}, "due_month"),
        ({"token": TOKEN, "platform": "ios", "due_month": "2020-01"}, "due_month"),
        ({"token": TOKEN, "platform": "ios", "birth_month": "2099-01"}, "birth_month"),
        ({"token": TOKEN, "platform": "ios", "life_stage": "age_0_1", "birth_month": "2026-01"}, "__all__"),
        ({"token": TOKEN, "platform": "ios", "phone": "090"}, "phone"),
        ({"token": TOKEN, "platform": 1}, "platform"),
    ],
)
def test_bad_input_gets_400_with_the_field_and_changes_nothing(call, payload, field):
    call("post", {"token": TOKEN, "platform": "android", "language": "en"})
    before = list(AppDevice.objects.values())

    response = call("post", payload)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert list(AppDevice.objects.values()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["not json", "[]", '"token"'])
def test_body_that_is_not_a_json_object_gets_400(call, raw):
    response = call("post", None, raw=raw)

    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.django_db
def test_patch_changes_only_what_was_sent(call):
    call("post", {"token": TOKEN, "platform": "ios", "life_stage": "age_0_1"})

    response = call("patch", {"token": TOKEN, "language": "en"})

    assert response.status_code == 200
    device = AppDevice.objects.get()
    assert (device.language, device.life_stage, device.platform) == ("en", "age_0_1", "ios")


@pytest.mark.django_db
def test_patch_with_a_birth_month_replaces_the_chosen_stage(call):
    call("post", {"token": TOKEN, "platform": "ios", "life_stage": "age_3_6"})

    call("put", {"token": TOKEN, "birth_month": "2026-10"})

    device = AppDevice.objects.get()
    assert (device.life_stage, str(device.birth_month)) == ("", "2026-10-01")


@pytest.mark.django_db
def test_patch_clearing_the_stage_makes_the_device_receive_everything_again(call):
    call("post", {"token": TOKEN, "platform": "ios", "life_stage": "age_3_6"})

    call("patch", {"token": TOKEN, "life_stage": None})

    assert not AppDevice.objects.get().stage_chosen


@pytest.mark.django_db
def test_patch_of_an_unknown_token_gets_404_and_creates_nothing(call):
    response = call("patch", {"token": TOKEN, "language": "en"})

    assert response.status_code == 404
    assert not AppDevice.objects.exists()


@pytest.mark.django_db
def test_delete_forgets_the_device_and_is_idempotent(call):
    call("post", {"token": TOKEN, "platform": "ios", "birth_month": "2026-01"})

    first = call("delete", {"token": TOKEN})
    second = call("delete", {"token": TOKEN})

    assert (first.status_code, second.status_code) == (204, 204)
    assert not AppDevice.objects.exists()
    assert kpi.registrants() == 0


@pytest.mark.django_db
def test_delete_with_a_bad_token_gets_400(call):
    call("post", {"token": TOKEN, "platform": "ios"})

    response = call("delete", {"token": "bad token"})

    assert response.status_code == 400
    assert AppDevice.objects.count() == 1


@pytest.mark.django_db
def test_register_again_after_fcm_unregistered_the_token_makes_an_active_device(call):
    call("post", {"token": TOKEN, "platform": "ios"})
    AppDevice.objects.deactivate_tokens([TOKEN])
    assert kpi.registrants() == 0

    response = call("post", {"token": TOKEN, "platform": "ios"})

    assert response.status_code == 201
    assert AppDevice.objects.filter(status=SubscriberStatus.ACTIVE).count() == 1
    assert kpi.registrants() == 1


@pytest.mark.django_db
def test_only_the_documented_methods_are_allowed(client):
    response = client.get(URL)

    assert response.status_code == 405
    assert "POST" in response["Allow"]


@pytest.mark.django_db
def test_requests_over_the_per_ip_limit_get_429_with_retry_after(call, settings):
    settings.APP_API_RATE_LIMITS = {"ip": (3, 60), "wrong_key": (10, 60), "key": (100, 60)}

    statuses = [call("post", {"token": TOKEN, "platform": "ios"}).status_code for _ in range(3)]
    limited = call("post", {"token": TOKEN + "x", "platform": "ios"})

    assert statuses == [201, 200, 200]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert AppDevice.objects.count() == 1


@pytest.mark.django_db
def test_an_address_over_the_wrong_key_limit_gets_429_even_with_the_right_key(call, settings):
    settings.APP_API_RATE_LIMITS = {"ip": (100, 60), "wrong_key": (2, 60), "key": (100, 60)}

    statuses = [call("post", {"token": TOKEN, "platform": "ios"}, key="guess").status_code for _ in range(3)]
    right_key = call("post", {"token": TOKEN, "platform": "ios"})

    assert statuses == [401, 401, 429]
    assert right_key.status_code == 429  # a guess that hits is never confirmed
    assert 1 <= int(right_key["Retry-After"]) <= 60
    assert not AppDevice.objects.exists()


PROXY = "10.0.0.1"  # the production proxy: every phone's request arrives from it


@pytest.mark.portable
@pytest.mark.django_db
def test_one_attackers_wrong_keys_behind_the_proxy_lock_out_no_other_family(call, settings):
    settings.OYAKO_TRUSTED_PROXY_COUNT = (
        1  # production's TRUSTED_PROXY_COUNT default; the limits are the defaults
    )
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.66"}

    guesses = [
        call("post", {"token": TOKEN, "platform": "ios"}, key=f"guess-{n}", **attacker) for n in range(61)
    ]
    family = call(
        "post", {"token": TOKEN, "platform": "ios"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    # A forged entry on the left does not make the attacker someone else.
    forged = call(
        "post",
        {"token": TOKEN + "x", "platform": "ios"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.8, 192.0.2.66",
    )

    assert guesses[-1].status_code == 429
    assert family.status_code == 201
    assert forged.status_code == 429
    assert list(AppDevice.objects.values_list("token", flat=True)) == [TOKEN]


@pytest.mark.django_db
def test_wrong_keys_do_not_use_up_an_addresses_requests_with_the_key(call, settings):
    settings.APP_API_RATE_LIMITS = {"ip": (3, 60), "wrong_key": (10, 60), "key": (100, 60)}

    for _ in range(5):
        assert call("post", {"token": TOKEN, "platform": "ios"}, key="an-old-key").status_code == 401
    statuses = [call("post", {"token": TOKEN, "platform": "ios"}).status_code for _ in range(3)]

    assert statuses == [201, 200, 200]


@pytest.mark.django_db
def test_requests_over_the_per_key_limit_get_429(call, settings, client):
    settings.APP_API_RATE_LIMITS = {"ip": (100, 60), "wrong_key": (10, 60), "key": (2, 60)}
    call("post", {"token": TOKEN, "platform": "ios"})
    call("patch", {"token": TOKEN, "language": "en"})

    other_ip = client.post(
        URL,
        data=json.dumps({"token": TOKEN, "language": "ja"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {KEY}",
        REMOTE_ADDR="10.0.0.9",
    )

    assert other_ip.status_code == 429
