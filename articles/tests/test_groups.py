"""The groups the migration sets up: editors write, physicians review, administrators manage."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import GroupPagePermission

pytestmark = pytest.mark.django_db


def test_the_three_groups_exist():
    assert set(
        Group.objects.filter(name__in=["Editors", "Physicians", "Administrators"]).values_list(
            "name", flat=True
        )
    ) == {
        "Editors",
        "Physicians",
        "Administrators",
    }


def test_editors_can_add_and_edit_pages_but_not_publish(draft, editor):
    permissions = draft.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    assert draft.get_parent().permissions_for_user(editor).can_add_subpage()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert editor.has_perm("articles.view_physician") and editor.has_perm("articles.view_topic")


def test_physicians_have_admin_access_and_no_page_permission(physician):
    user = physician.user
    assert user.has_perm("wagtailadmin.access_admin")
    assert not GroupPagePermission.objects.filter(group__name="Physicians").exists()


def test_physicians_cannot_publish_or_edit_outside_review(draft, physician):
    permissions = draft.permissions_for_user(physician.user)
    assert not permissions.can_publish()
    assert not permissions.can_edit()


def test_administrators_manage_users_workflows_and_settings(django_user_model):
    admin = django_user_model.objects.create_user("sample-administrator", "a@example.jp", "x")
    admin.groups.add(Group.objects.get(name="Administrators"))
    for permission in (
        "auth.change_user",
        "auth.add_group",
        "wagtailcore.add_workflow",
        "wagtailcore.change_task",
    ):
        assert admin.has_perm(permission), permission


def test_the_migration_is_idempotent():
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("articles.migrations.0005_review_groups_and_workflow")
    state = MigrationExecutor(connection).loader.project_state(
        ("articles", "0005_review_groups_and_workflow")
    )
    before = GroupPagePermission.objects.count(), Group.objects.count()
    migration.create_groups_and_workflow(state.apps, None)
    assert (GroupPagePermission.objects.count(), Group.objects.count()) == before
