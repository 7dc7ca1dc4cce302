import io

import pytest
from PIL import Image

from django.core.management import CommandError, call_command

from guidance import richmenu

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(line_server, settings):
    settings.LINE_DATA_API_BASE_URL = line_server.base_url
    return line_server


def _created(line):
    return [r for r in line.requests if r[:2] == ("POST", "/v2/bot/richmenu")]


def test_the_command_creates_the_menu_with_its_image_and_makes_it_the_default(line):
    call_command("setup_rich_menu")

    assert not line.errors
    (menu_id,) = line.rich_menus
    assert line.default_rich_menu == menu_id
    menu = line.rich_menus[menu_id]
    assert [area["action"]["type"] for area in menu["areas"]] == ["uri", "uri", "message", "message"]
    assert menu["areas"][1]["action"]["uri"].endswith("/help/")
    assert menu["areas"][2]["action"]["text"] == "設定"
    image = Image.open(io.BytesIO(line.rich_menu_images[menu_id]))
    assert image.size == (2500, 1686) and image.format == "PNG"
    assert len(line.rich_menu_images[menu_id]) < 1024 * 1024


def test_running_it_again_changes_nothing(line):
    call_command("setup_rich_menu")
    first = dict(line.rich_menus)

    call_command("setup_rich_menu")

    assert len(_created(line)) == 1
    assert line.rich_menus == first
    assert not [r for r in line.requests if r[0] == "DELETE"]


def test_a_changed_menu_replaces_the_old_one(line, settings):
    call_command("setup_rich_menu")
    (old,) = line.rich_menus
    settings.WAGTAILADMIN_BASE_URL = "https://oyako.example.jp"

    call_command("setup_rich_menu")

    (new,) = line.rich_menus
    assert new != old and line.default_rich_menu == new
    assert line.rich_menus[new]["areas"][1]["action"]["uri"].startswith("https://oyako.example.jp/help/")


def test_the_survey_area_asks_the_bot_for_a_personal_link(line):
    call_command("setup_rich_menu")

    (menu,) = line.rich_menus.values()
    assert menu["areas"][3]["action"] == {"type": "message", "label": "アンケート", "text": "アンケート"}


def test_menus_made_by_other_tools_are_left_alone(line):
    line.rich_menus["richmenu-other"] = {
        "richMenuId": "richmenu-other",
        "name": "campaign menu",
        "size": {"width": 2500, "height": 843},
        "selected": False,
        "chatBarText": "キャンペーン",
        "areas": [],
    }

    call_command("setup_rich_menu")

    assert "richmenu-other" in line.rich_menus


def test_without_a_line_token_the_command_says_so_and_changes_nothing(settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    with pytest.raises(CommandError, match="LINE_CHANNEL_ACCESS_TOKEN"):
        call_command("setup_rich_menu")


def test_the_image_has_one_panel_per_area():
    image = Image.open(io.BytesIO(richmenu.menu_image(richmenu.areas()))).convert("RGB")
    corners = [image.getpixel((x, y)) for x, y in ((100, 100), (2400, 100), (100, 1600), (2400, 1600))]
    assert len(set(corners)) == 4
