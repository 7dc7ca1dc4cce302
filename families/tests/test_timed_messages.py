"""Timed messages and pushes follow children: two children in two stages, a birth, a partner."""

import datetime

import pytest
import time_machine

from django.test import TestCase

from articles.models import ArticleApproval
from families import services
from families.models import Child
from milestones.enums import Moment
from milestones.services import dispatch_due_messages
from milestones.tests.conftest import tokyo
from notifications.models import LineFollower, Notification
from notifications.sending import audience_size

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def month(year, number):
    return datetime.date(year, number, 1)


def run(at):
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return dispatch_due_messages()


def timed():
    return Notification.objects.filter(source__startswith="timed-message:").order_by("pk")


def recipients():
    """(source's message, LINE follower pk) for every timed notification issued."""
    return sorted(
        (n.source.split(":")[1], pk) for n in timed() for pk in (n.chosen_recipients or {}).get("line", [])
    )


@pytest.fixture
def article(make_article):
    page = make_article(title="【サンプル】月齢のめやす")
    ArticleApproval.objects.filter(page=page).update(next_review_due=datetime.date(2099, 1, 1))
    return page


@pytest.fixture
def family(db):
    """A mother and her partner (invited), expecting in September 2026 with a child born June 2025."""
    with time_machine.travel(tokyo(2026, 5, 20, 12, 0), tick=False):
        mother = LineFollower.objects.create(line_user_id="U" + "m" * 32, language="ja")
        partner = LineFollower.objects.create(line_user_id="U" + "p" * 32, language="en")
        member = services.ensure_member(mother)
        services.add_child(member, due_month=month(2026, 9))
        services.add_child(member, birth_month=month(2025, 6), nickname="ゆい")
        code = services.create_invitation(member)
        services.accept_invitation(partner, code)
    return mother, partner


def test_two_children_in_two_stages_get_each_stages_message_once_each(make_series, article, family, queued):
    mother, partner = family
    series = make_series(
        [
            {"text": "予定月まであと3か月", "target": article, "moment": Moment.PREGNANCY, "months": 3},
            {"text": "1歳になりました", "target": article, "moment": Moment.AGE, "months": 12},
            {"text": "3歳になりました", "target": article, "moment": Moment.AGE, "months": 36},
        ]
    )
    pregnancy, first_birthday, _third = series.messages.order_by("months")
    run(tokyo(2026, 6, 1, 19, 0))
    run(tokyo(2026, 6, 2, 19, 0))  # a later day of the month: nothing again
    assert recipients() == sorted(
        [
            (str(pregnancy.pk), mother.pk),
            (str(pregnancy.pk), partner.pk),
            (str(first_birthday.pk), mother.pk),
            (str(first_birthday.pk), partner.pk),
        ]
    )
    named = timed().get(source__startswith=f"timed-message:{first_birthday.pk}:")
    assert named.text.startswith("ゆい") and named.text.endswith("1歳になりました")
    unnamed = timed().get(source__startswith=f"timed-message:{pregnancy.pk}:")
    assert unnamed.text == "予定月まであと3か月"


def test_a_push_concerning_both_children_reaches_each_follower_once(family):
    with time_machine.travel(tokyo(2026, 6, 1, 12, 0), tick=False):
        both = ["pregnancy_mid", "pregnancy_late", "age_1_3"]
        assert audience_size(both) == 2
        assert sorted(LineFollower.objects.audience(both).values_list("pk", flat=True)) == sorted(
            follower.pk for follower in family
        )
        assert audience_size(["age_3_6"]) == 0  # neither child is 3 to 6


def test_a_birth_turns_the_due_month_into_a_birth_month_without_repeats(make_series, article, queued):
    one_month = {"text": "生後1か月", "target": article, "moment": Moment.AGE, "months": 1}
    series = make_series([one_month])
    with time_machine.travel(tokyo(2026, 5, 20, 12, 0), tick=False):
        mother = LineFollower.objects.create(line_user_id="U" + "b" * 32)
        child = services.add_child(services.ensure_member(mother), due_month=month(2026, 6))
    # July: no birth recorded yet, so the passed due month stands in for it.
    run(tokyo(2026, 7, 1, 19, 0))
    assert recipients() == [(str(series.messages.get().pk), mother.pk)]
    with time_machine.travel(tokyo(2026, 7, 3, 12, 0), tick=False):
        services.record_birth(child, datetime.date(2026, 6, 12))
    child.refresh_from_db()
    assert child.birth_month == month(2026, 6) and child.due_month == month(2026, 6)
    run(tokyo(2026, 7, 4, 19, 0))  # the corrected child is looked at again, and not sent twice
    assert len(recipients()) == 1


def test_the_invited_partner_gets_the_same_pushes_and_leaving_keeps_the_others_children(
    make_series, article, family, queued
):
    mother, partner = family
    series = make_series([{"text": "1歳になりました", "target": article, "moment": Moment.AGE, "months": 12}])
    services.leave(partner.family_member)
    assert Child.objects.filter(household=mother.family_member.household).count() == 2
    partner.refresh_from_db()
    assert not partner.stage_chosen  # back to every article until they sign up themselves
    run(tokyo(2026, 6, 1, 19, 0))
    assert recipients() == [(str(series.messages.get().pk), mother.pk)]


def test_the_last_member_leaving_deletes_the_household_and_its_children(family):
    mother, partner = family
    services.leave(partner.family_member)
    services.leave(LineFollower.objects.get(pk=mother.pk).family_member)
    assert not Child.objects.exists()


def test_an_invitation_works_once_and_not_after_7_days(family):
    mother, _partner = family
    member = mother.family_member
    code = services.create_invitation(member)
    grandmother = LineFollower.objects.create(line_user_id="U" + "g" * 32)
    aunt = LineFollower.objects.create(line_user_id="U" + "a" * 32)
    services.accept_invitation(grandmother, code)
    with pytest.raises(services.FamilyError):
        services.accept_invitation(aunt, code)
    late = services.create_invitation(member)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)
    with time_machine.travel(later), pytest.raises(services.FamilyError):
        services.accept_invitation(aunt, late)
    assert aunt.pk not in member.household.members.values_list("follower_id", flat=True)
    from families.models import Invitation

    assert all(len(row) == 64 for row in Invitation.objects.values_list("code_hash", flat=True))
    assert not Invitation.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
