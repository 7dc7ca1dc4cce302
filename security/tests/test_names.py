"""Names in family-name order in the admin, as on the site: 「森川 さくら」, never 「さくら 森川」."""

import pytest

from django.contrib.auth import get_user_model

from wagtail.admin.utils import get_user_display_name


def test_a_full_name_puts_the_family_name_first():
    user = get_user_model()(username="physician", first_name="さくら", last_name="森川")
    assert user.get_full_name() == "森川 さくら"
    assert get_user_display_name(user) == "森川 さくら"


def test_one_name_alone_has_no_stray_space_and_no_name_falls_back_to_the_username():
    model = get_user_model()
    assert model(username="a", first_name="さくら").get_full_name() == "さくら"
    assert model(username="b", last_name="森川").get_full_name() == "森川"
    assert get_user_display_name(model(username="editor")) == "editor"


@pytest.mark.django_db
def test_the_admin_users_list_writes_family_name_first(admin_client):
    get_user_model().objects.create_user("physician", first_name="さくら", last_name="森川")
    html = admin_client.get("/admin/users/").content.decode()
    assert "森川 さくら" in html
    assert "さくら 森川" not in html


@pytest.mark.django_db
def test_the_sidebar_account_menu_and_the_dashboard_write_the_full_name_family_name_first(client):
    import json

    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        "sample-physician", password="sample-password", first_name="さくら", last_name="森川"
    )
    user.groups.add(Group.objects.get(name="Physicians"))
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    props = html.split('id="wagtail-sidebar-props"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    assert "森川 さくら" in json.dumps(json.loads(props), ensure_ascii=False)
    assert "さくら 森川" not in html
    assert "森川 さくら" in html  # the dashboard's account box
