"""The per-stage rich menus on the spec-checking fake LINE: set up, linked in bulk, switched."""

import datetime

import pytest

from families import richmenu, services
from families.enums import MenuKind
from families.models import Member, StageMenu
from notifications.models import LineFollower

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def menus(line_server, settings, home_page):
    settings.FAMILIES_RICH_MENU_REQUESTS_PER_SECOND = 1000
    settings.LINE_DATA_API_BASE_URL = line_server.base_url
    richmenu.set_up_stage_menus()
    return line_server


def test_each_stage_menu_sends_the_features_texts_and_settings(menus):
    assert StageMenu.objects.count() == 3
    for menu in menus.rich_menus.values():
        texts = {area["action"].get("text") for area in menu["areas"]}
        assert {"こころのチェック", "予約", "相談したい", "設定"} <= texts
        assert len(menu["areas"]) == 6
    assert not menus.errors


def test_setting_up_again_changes_nothing(menus):
    created = richmenu.set_up_stage_menus()
    assert not any(created.values())
    assert len(menus.rich_menus) == 3


def test_the_menu_switches_when_the_child_turns_one(menus):
    followers = [LineFollower.objects.create(line_user_id=f"U{n:032d}") for n in range(3)]
    member = services.ensure_member(followers[0])
    services.add_child(member, birth_month=datetime.date(2025, 12, 1), today=datetime.date(2026, 6, 1))
    services.accept_invitation(followers[1], services.create_invitation(member))
    services.add_child(
        services.ensure_member(followers[2]),
        due_month=datetime.date(2026, 10, 1),
        today=datetime.date(2026, 6, 1),
    )
    ids = dict(StageMenu.objects.values_list("kind", "rich_menu_id"))

    assert richmenu.switch_menus(today=datetime.date(2026, 6, 1)) == 3
    assert menus.user_rich_menus == {
        followers[0].line_user_id: ids[MenuKind.BABY],
        followers[1].line_user_id: ids[MenuKind.BABY],
        followers[2].line_user_id: ids[MenuKind.PREGNANCY],
    }
    requests = menus.bulk_requests
    assert richmenu.switch_menus(today=datetime.date(2026, 6, 2)) == 0  # nothing changed, nothing sent
    assert menus.bulk_requests == requests

    assert richmenu.switch_menus(today=datetime.date(2026, 12, 1)) == 2  # the child is one: toddler
    assert menus.user_rich_menus[followers[0].line_user_id] == ids[MenuKind.TODDLER]
    assert set(Member.objects.values_list("menu_linked", flat=True)) == {MenuKind.TODDLER, MenuKind.PREGNANCY}
    assert not menus.errors


def test_a_follower_who_leaves_gets_the_default_menu_back(menus):
    follower = LineFollower.objects.create(line_user_id="U" + "x" * 32)
    services.add_child(services.ensure_member(follower), birth_month=datetime.date.today().replace(day=1))
    richmenu.switch_menus()
    assert follower.line_user_id in menus.user_rich_menus
    richmenu.unlink(follower.pk)
    assert follower.line_user_id not in menus.user_rich_menus
    assert not menus.errors
