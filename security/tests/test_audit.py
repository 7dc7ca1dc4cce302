"""Audit trail of accounts: group changes from the user edit view and from code, visible in the
admin's site history with who and when; the project's action types are registered."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from security.audit import ACTIONS

from .conftest import password_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def group_entries(user):
    return ModelLogEntry.objects.filter(
        action="oyako.groups_changed", object_id=str(user.pk), content_type__model="user"
    ).order_by("pk")


def test_every_project_action_type_is_registered():
    for action, _label, _message in ACTIONS:
        assert registry.action_exists(action), action
        assert action.startswith("oyako.")


def test_making_an_editor_a_physician_in_the_user_edit_view_is_logged_with_the_administrator(
    client, superuser, editor_user
):
    password_sign_in(client, superuser)
    before = group_entries(editor_user).count()  # the fixture's own, made by no one
    response = client.post(
        reverse("wagtailusers_users:edit", args=[editor_user.pk]),
        {
            "username": editor_user.username,
            "email": editor_user.email,
            "first_name": "見本",
            "last_name": "花子",
            "is_active": "on",
            "groups": [Group.objects.get(name="Physicians").pk],
        },
    )
    assert response.status_code == 302, response.content[:1000]
    entries = list(group_entries(editor_user))[before:]
    assert {tuple(entry.data["added"]) for entry in entries} >= {("Physicians",)}
    assert {tuple(entry.data["removed"]) for entry in entries} >= {("Editors",)}
    assert [entry.user for entry in entries] == [superuser] * len(entries)

    history = client.get("/admin/reports/site-history/").content.decode()
    assert "グループ：追加 Physicians" in history
    assert "グループ：追加 —、削除 Editors" in history


def test_group_changes_from_code_are_logged_from_either_side(editor_user, physician_user):
    administrators = Group.objects.get(name="Administrators")
    administrators.user_set.add(physician_user)
    assert group_entries(physician_user).last().data == {"added": ["Administrators"], "removed": []}
    physician_user.groups.clear()
    assert sorted(group_entries(physician_user).last().data["removed"]) == ["Administrators", "Physicians"]
    editor_user.groups.remove(Group.objects.get(name="Editors"))
    entry = group_entries(editor_user).last()
    assert entry.data == {"added": [], "removed": ["Editors"]} and entry.user is None
