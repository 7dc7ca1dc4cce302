import datetime

import pytest

from articles.demo.loader import DemoContext, Report
from families.demo import load_demo_families
from families.models import Child, Household, Member

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def test_demo_families_are_loaded_once_with_partners_across_stages():
    for _run in range(2):
        load_demo_families(
            DemoContext(home=None, users={}, reviewers={}, today=datetime.date(2026, 6, 10), report=Report())
        )
    assert Household.objects.count() == 6
    assert Child.objects.count() == 8
    assert Member.objects.filter(role="invited").count() == 3
    stages = {child.life_stage(datetime.date(2026, 6, 10)) for child in Child.objects.all()}
    assert len(stages) >= 5
