import datetime

import pytest

from django.contrib.auth import get_user_model

from articles.demo.loader import DemoContext, Report
from consultations.demo import load_demo_consultations
from consultations.models import Conversation, Status

pytestmark = pytest.mark.django_db


def test_the_demo_is_a_month_of_conversations_and_loads_once(medical, counselling):
    editor = get_user_model().objects.create_user("sample-editor", password="demo-password")
    context = DemoContext(
        home=None, users={"editor": editor}, reviewers={}, today=datetime.date(2026, 12, 3), report=Report()
    )
    load_demo_consultations(context)
    counts = (Conversation.objects.count(), get_user_model().objects.count())
    load_demo_consultations(context)
    assert (Conversation.objects.count(), get_user_model().objects.count()) == counts
    assert Conversation.objects.filter(status=Status.CLOSED, rating__isnull=False).count() >= 10
    assert Conversation.objects.filter(status=Status.WAITING).count() == 1
    midwife = get_user_model().objects.get(username="sample-midwife")
    assert midwife.check_password("demo-password")
    medical.refresh_from_db()
    assert midwife.groups.filter(pk=medical.staff_group_id).exists()
