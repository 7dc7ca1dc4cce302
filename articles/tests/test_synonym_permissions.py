"""The city's editors keep the search synonyms in the admin."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_editor_can_list_and_add_search_synonyms(client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    editor = django_user_model.objects.create_user("synonym-editor", "s@example.jp", "sample-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    listing = client.get("/admin/snippets/articles/searchsynonym/")
    assert listing.status_code == 200 and "/admin/snippets/articles/searchsynonym/add/" in listing.text
    assert client.get("/admin/snippets/articles/searchsynonym/add/").status_code == 200
