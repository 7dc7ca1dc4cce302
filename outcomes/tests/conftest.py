import pytest

from wagtail.models import Site

from outcomes.factories import SurveyPageFactory, add_standard_questions
from tests.fakes.fixtures import line_server  # noqa: F401


@pytest.fixture
def survey(db):
    """A fiscal-2026 Q1 survey with the standard questions, under the default site's root page."""

    def make(**fields):
        parent = Site.objects.get(is_default_site=True).root_page
        return add_standard_questions(SurveyPageFactory(parent=parent, **fields))

    return make
