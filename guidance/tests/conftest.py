import pytest

from articles.tests.conftest import editor  # noqa: F401
from tests.fakes.fixtures import line_server  # noqa: F401


@pytest.fixture
def administrator(django_user_model, db):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")


@pytest.fixture
def english(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]
