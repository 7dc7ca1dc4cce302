import pytest

from django.contrib.auth.models import Group

from tests.fakes.fixtures import line_server  # noqa: F401


@pytest.fixture
def editor(django_user_model, db):
    user = django_user_model.objects.create_user("sample-editor", "editor@example.jp", "sample-password")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def administrator(django_user_model, db):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")


@pytest.fixture
def english(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]
