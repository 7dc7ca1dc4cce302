"""Two-step verification: required for physicians and administrators under production settings,
enrolment on first sign-in, codes from the app, single-use recovery codes, an administrator's reset."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.test import override_settings
from django.urls import reverse

from wagtail.models import ModelLogEntry

from security import two_factor

from .conftest import password_sign_in

pytestmark = [pytest.mark.django_db]

REQUIRED = override_settings(OYAKO_2FA_REQUIRED_GROUPS=["Physicians", "Administrators"])

# Admin views a signed-in physician or administrator might try; none may open before verification.
ADMIN_PATHS = [
    "/admin/",
    "/admin/pages/",
    "/admin/users/",
    "/admin/groups/",
    "/admin/reports/site-history/",
    "/admin/push-log/",
    "/admin/snippets/",
    "/admin/account/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/settings/",
    "/admin/two-factor/",
    "/admin/api/main/pages/",
    "/django-admin/",
]


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def assert_no_admin_view_opens(client, redirected_to):
    for path in ADMIN_PATHS:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(redirected_to), (path, response["Location"])


def enrolled_device(user):
    device = TOTPDevice.objects.create(user=user, name=two_factor.TOTP_DEVICE_NAME, confirmed=True)
    codes = two_factor.new_recovery_codes(user)
    return device, codes


@REQUIRED
@pytest.mark.parametrize("role", ["physician_user", "administrator", "superuser"])
def test_a_physician_or_administrator_without_a_device_reaches_no_admin_view(client, request, role):
    user = request.getfixturevalue(role)
    password_sign_in(client, user)
    assert_no_admin_view_opens(client, reverse("security_two_factor_enrol"))


@REQUIRED
@pytest.mark.parametrize("role", ["physician_user", "administrator"])
def test_an_enrolled_physician_or_administrator_reaches_no_admin_view_before_the_code(client, request, role):
    user = request.getfixturevalue(role)
    enrolled_device(user)
    password_sign_in(client, user)
    verify_url = reverse("security_two_factor_verify")
    assert_no_admin_view_opens(client, verify_url)
    # Not even by posting to a view.
    response = client.post("/admin/pages/add_subpage/1/", {})
    assert response["Location"].startswith(verify_url)


@REQUIRED
def test_first_sign_in_enrols_with_a_qr_code_and_shows_recovery_codes_once(client, physician_user):
    password_sign_in(client, physician_user)
    page = client.get(reverse("security_two_factor_enrol"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=physician_user, confirmed=False)
    response = client.post(reverse("security_two_factor_enrol"), {"otp_token": current_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action="oyako.2fa_enrol", object_id=str(physician_user.pk)).exists()


@REQUIRED
def test_enrolment_refuses_a_wrong_code(client, physician_user):
    password_sign_in(client, physician_user)
    client.get(reverse("security_two_factor_enrol"))
    device = TOTPDevice.objects.get(user=physician_user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("security_two_factor_enrol"), {"otp_token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/")["Location"].startswith(reverse("security_two_factor_enrol"))


@REQUIRED
def test_the_right_code_opens_the_admin_and_a_wrong_one_is_refused(client, physician_user):
    device, _codes = enrolled_device(physician_user)
    password_sign_in(client, physician_user)
    verify_url = reverse("security_two_factor_verify")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(verify_url, {"otp_token": wrong, "next": "/admin/pages/"})
    assert response.status_code == 200
    assert "otp_token" in response.context["form"].errors
    assert client.get("/admin/")["Location"].startswith(verify_url)

    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next guess wait after a failure
    response = client.post(verify_url, {"otp_token": current_code(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


@REQUIRED
def test_a_recovery_code_works_once(client, physician_user):
    _device, codes = enrolled_device(physician_user)
    password_sign_in(client, physician_user)
    verify_url = reverse("security_two_factor_verify")
    response = client.post(verify_url, {"otp_token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.logout()
    password_sign_in(client, physician_user)
    response = client.post(verify_url, {"otp_token": codes[0]})
    assert response.status_code == 200  # refused: already used
    assert client.get("/admin/")["Location"].startswith(verify_url)
    StaticDevice.objects.filter(user=physician_user).get().throttle_reset()
    assert client.post(verify_url, {"otp_token": codes[1]}).status_code == 302


@REQUIRED
def test_editors_may_sign_in_without_a_device(client, editor_user):
    password_sign_in(client, editor_user)
    assert client.get("/admin/").status_code == 200


@REQUIRED
def test_an_editor_who_enrolled_must_give_the_code(client, editor_user):
    enrolled_device(editor_user)
    password_sign_in(client, editor_user)
    assert client.get("/admin/")["Location"].startswith(reverse("security_two_factor_verify"))


def test_without_required_groups_physicians_sign_in_with_a_password_and_the_login_page_says_so(
    client, physician_user
):
    assert "ここでは2段階認証は不要です" in client.get("/admin/login/").content.decode()
    password_sign_in(client, physician_user)
    assert client.get("/admin/").status_code == 200


@REQUIRED
def test_the_login_page_does_not_claim_relaxation_where_it_is_required(client, db):
    assert "2段階認証は不要です" not in client.get("/admin/login/").content.decode()


@REQUIRED
def test_an_administrator_resets_a_lost_device_and_the_user_enrols_again(client, superuser, physician_user):
    enrolled_device(physician_user)
    admin_device, _ = enrolled_device(superuser)
    password_sign_in(client, superuser)
    client.post(reverse("security_two_factor_verify"), {"otp_token": current_code(admin_device)})
    reset_url = reverse("security_two_factor_reset", args=[physician_user.pk])
    assert client.get(reset_url).status_code == 200
    response = client.post(reset_url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=physician_user).exists()
    assert not StaticDevice.objects.filter(user=physician_user).exists()
    entry = ModelLogEntry.objects.get(action="oyako.2fa_reset", object_id=str(physician_user.pk))
    assert entry.user == superuser

    client.logout()
    password_sign_in(client, physician_user)
    assert client.get("/admin/")["Location"].startswith(reverse("security_two_factor_enrol"))


@REQUIRED
def test_only_a_user_manager_can_reset_a_device(client, physician_user, editor_user):
    enrolled_device(physician_user)
    password_sign_in(client, editor_user)
    response = client.post(reverse("security_two_factor_reset", args=[physician_user.pk]))
    assert response.status_code in {302, 403}
    assert TOTPDevice.objects.filter(user=physician_user).exists()


@REQUIRED
def test_the_users_listing_offers_the_reset(client, superuser, physician_user):
    admin_device, _ = enrolled_device(superuser)
    password_sign_in(client, superuser)
    client.post(reverse("security_two_factor_verify"), {"otp_token": current_code(admin_device)})
    response = client.get("/admin/users/")
    assert reverse("security_two_factor_reset", args=[physician_user.pk]) in response.content.decode()


def test_check_deploy_warns_when_no_group_needs_two_step_verification(settings):
    from security.checks import check_two_factor_required

    settings.OYAKO_2FA_REQUIRED_GROUPS = []
    assert [warning.id for warning in check_two_factor_required(None)] == ["security.W001"]
    settings.OYAKO_2FA_REQUIRED_GROUPS = ["Physicians", "Administrators"]
    assert check_two_factor_required(None) == []


@REQUIRED
def test_a_user_asked_for_a_code_can_sign_out_instead(client, physician_user):
    enrolled_device(physician_user)
    password_sign_in(client, physician_user)
    page = client.get(reverse("security_two_factor_verify"))
    assert f'action="{reverse("wagtailadmin_logout")}"' in page.content.decode()
    client.post(reverse("wagtailadmin_logout"))
    assert "_auth_user_id" not in client.session
