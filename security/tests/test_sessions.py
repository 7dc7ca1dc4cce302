"""Admin sessions end after the stated idle time, and a user can sign out everywhere."""

import datetime

import pytest
import time_machine

from django.test import Client, override_settings
from django.urls import reverse

from wagtail.models import ModelLogEntry

from security.models import SignedInSession

from .conftest import password_sign_in

pytestmark = [pytest.mark.django_db]


@override_settings(OYAKO_ADMIN_IDLE_TIMEOUT=datetime.timedelta(minutes=30))
def test_an_admin_session_ends_after_thirty_idle_minutes(client, editor_user):
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        password_sign_in(client, editor_user)
        assert client.get("/admin/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200  # activity: the clock starts again
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/admin/pages/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get("/admin/pages/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
        assert "_auth_user_id" not in client.session


def test_sign_out_everywhere_ends_every_session_of_the_user_only(editor_user, physician_user):
    laptop, phone, colleague = Client(), Client(), Client()
    password_sign_in(laptop, editor_user)
    password_sign_in(phone, editor_user)
    password_sign_in(colleague, physician_user)
    assert SignedInSession.objects.filter(user=editor_user).count() == 2

    url = reverse("security_sign_out_everywhere")
    assert laptop.get(url).status_code == 200
    response = laptop.post(url)
    assert response.status_code == 302
    for signed_out in (laptop, phone):
        assert signed_out.get("/admin/")["Location"].startswith(reverse("wagtailadmin_login"))
    assert colleague.get("/admin/").status_code == 200
    assert not SignedInSession.objects.filter(user=editor_user).exists()
    entry = ModelLogEntry.objects.get(action="oyako.sign_out_everywhere")
    assert entry.object_id == str(editor_user.pk) and entry.user_id == editor_user.pk


def test_signing_out_forgets_the_session_record(client, editor_user):
    password_sign_in(client, editor_user)
    assert SignedInSession.objects.filter(user=editor_user).count() == 1
    client.post(reverse("wagtailadmin_logout"))
    assert not SignedInSession.objects.filter(user=editor_user).exists()


def test_the_account_page_offers_sign_out_everywhere_and_two_step_verification(client, editor_user):
    password_sign_in(client, editor_user)
    content = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("security_sign_out_everywhere") in content
    assert reverse("security_two_factor") in content
