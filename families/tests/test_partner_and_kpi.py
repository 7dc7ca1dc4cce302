"""The partner joins through the chat; the registrants figure counts households."""

import re

import pytest

from families.models import Member
from notifications.models import LineFollower
from notifications.tests import line_bodies as lb
from outcomes import kpi
from outcomes.models import KpiSettings

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def test_an_invited_partner_joins_by_sending_the_code_and_sees_nothing_the_inviter_wrote(bot, follow):
    mother, partner = lb.user_id(), lb.user_id()
    follow(mother)
    bot.tap("f=signup&a=add&k=born", params={"date": "2026-01-15"}, user=mother)
    bot.say("夜泣きがつらいです", user=mother)
    bot.tap("f=signup&a=invite", user=mother)
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", bot.reply_text()).group(0)
    follow(partner)
    bot.say(f"招待 {code}", user=partner)
    household = Member.objects.get(follower__line_user_id=mother).household
    assert Member.objects.get(follower__line_user_id=partner).household == household
    assert "夜泣き" not in bot.reply_text()
    # The code works once.
    third = lb.user_id()
    follow(third)
    bot.say(f"招待 {code}", user=third)
    assert not Member.objects.filter(follower__line_user_id=third).exists()


def test_registrants_count_each_household_once_and_show_followers_beside(db):
    from families import services

    mother = LineFollower.objects.create(line_user_id="U" + "m" * 32)
    partner = LineFollower.objects.create(line_user_id="U" + "p" * 32)
    LineFollower.objects.create(line_user_id="U" + "s" * 32)  # follows alone, in no household
    services.accept_invitation(partner, services.create_invitation(services.ensure_member(mother)))
    figure = kpi.registrants(kpi.fiscal_year_of(kpi.timezone.now()), KpiSettings.load())
    assert figure.value == 2
    assert figure.extra[-1][1].value == 3  # the followers and devices beside the households
