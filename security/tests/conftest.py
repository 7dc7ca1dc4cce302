"""Accounts in the three groups the migrations make, and a client signed in with a password only."""

import pytest

from django.contrib.auth.models import Group

PASSWORD = "sample-password"


def make_user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(username, f"{username}@example.jp", PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def physician_user(django_user_model, db):
    return make_user(django_user_model, "sample-physician", "Physicians")


@pytest.fixture
def administrator(django_user_model, db):
    return make_user(django_user_model, "sample-administrator", "Administrators", is_staff=True)


@pytest.fixture
def editor_user(django_user_model, db):
    return make_user(django_user_model, "sample-editor", "Editors")


@pytest.fixture
def superuser(django_user_model, db):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", PASSWORD)


def password_sign_in(client, user):
    """Sign in through the admin's login form, as a person would (axes and the OTP hooks run)."""
    response = client.post("/admin/login/", {"username": user.get_username(), "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response
