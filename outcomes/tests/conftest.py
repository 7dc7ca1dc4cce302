import pytest

from wagtail.models import Page

from outcomes.factories import SurveyPageFactory, add_standard_questions


@pytest.fixture
def survey(db):
    """A fiscal-2026 Q1 survey with the standard questions, live under the root page."""

    def make(**fields):
        parent = Page.get_first_root_node()
        return add_standard_questions(SurveyPageFactory(parent=parent, **fields))

    return make
