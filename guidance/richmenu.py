"""The LINE account's rich menu: four areas (articles, get help, settings for stage and language, the
current survey as a personal link from the bot), its image drawn by the hub with Pillow, set up
through line-bot-sdk idempotently.

The menu is named after a hash of its definition and image, so running the set-up again with nothing
changed finds the menu already in place and changes nothing; a changed menu replaces the old one.
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 1686
NAME_PREFIX = "oyako-hub "
# Fonts with Japanese glyphs, in order of preference (Debian: fonts-noto-cjk, fonts-ipaexfont).
JAPANESE_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
]
COLOURS = ["#0b5e55", "#7a2e00", "#1f4e8c", "#5b3d8a"]  # white text on each is above 7:1


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    action: dict  # a LINE action object


def _absolute(path):
    return urljoin(settings.WAGTAILADMIN_BASE_URL, path)


def _articles_url():
    from articles.models import ArticleIndexPage

    index = ArticleIndexPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).first()
    return index.get_full_url() if index else _absolute("/")


def areas():
    """The four areas, labelled in the default language (the menu is one for every follower)."""
    with translation.override(settings.LANGUAGE_CODE):
        articles, get_help = _("Articles"), _("Get help")
        stage, survey = _("Stage and language"), _("Survey")
        return [
            Area("articles", articles, {"type": "uri", "label": articles, "uri": _articles_url()}),
            Area(
                "help",
                get_help,
                {"type": "uri", "label": get_help, "uri": _absolute(reverse("guidance:get_help"))},
            ),
            # The bot answers 設定 with the stage and language choices (see guidance.answering).
            Area("settings", stage, {"type": "message", "label": stage, "text": "設定"}),
            # The bot answers アンケート with the follower's own single-use survey link
            # (guidance.answering.survey_answer), which one uri for every follower could not carry.
            Area("survey", survey, {"type": "message", "label": survey, "text": "アンケート"}),
        ]


def _bounds(index):
    column, row = index % 2, index // 2
    return {"x": column * WIDTH // 2, "y": row * HEIGHT // 2, "width": WIDTH // 2, "height": HEIGHT // 2}


def japanese_font(size):
    """A TrueType font with Japanese glyphs, or None when the machine has none."""
    from PIL import ImageFont

    configured = getattr(settings, "GUIDANCE_RICH_MENU_FONT", "")
    for path in [configured, *JAPANESE_FONTS]:
        if path and Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def _draw_icon(draw, key, cx, cy, size):
    """A simple pictogram per area, so the menu reads even without a Japanese font."""
    white, half = "#ffffff", size // 2
    if key == "articles":  # an open book
        draw.rectangle([cx - half, cy - half * 0.7, cx - 8, cy + half * 0.7], outline=white, width=18)
        draw.rectangle([cx + 8, cy - half * 0.7, cx + half, cy + half * 0.7], outline=white, width=18)
    elif key == "help":  # a speech bubble
        draw.rounded_rectangle(
            [cx - half, cy - half * 0.7, cx + half, cy + half * 0.5], radius=40, outline=white, width=18
        )
        draw.polygon(
            [
                (cx - half * 0.4, cy + half * 0.45),
                (cx - half * 0.1, cy + half * 0.45),
                (cx - half * 0.5, cy + half),
            ],
            fill=white,
        )
    elif key == "settings":  # sliders
        for offset, knob in ((-0.5, -0.3), (0, 0.35), (0.5, -0.1)):
            y = cy + offset * half
            draw.line([cx - half, y, cx + half, y], fill=white, width=14)
            draw.ellipse([cx + knob * half - 30, y - 30, cx + knob * half + 30, y + 30], fill=white)
    else:  # a checklist
        for offset in (-0.5, 0, 0.5):
            y = cy + offset * half
            draw.line(
                [cx - half, y, cx - half * 0.75, y + 25, cx - half * 0.45, y - 30], fill=white, width=14
            )
            draw.line([cx - half * 0.25, y, cx + half, y], fill=white, width=14)


def menu_image(menu_areas):
    """The menu's PNG: one coloured panel per area with a pictogram and, where a font allows, its label."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = japanese_font(110)
    for index, area in enumerate(menu_areas):
        box = _bounds(index)
        x, y, w, h = box["x"], box["y"], box["width"], box["height"]
        draw.rectangle([x + 6, y + 6, x + w - 6, y + h - 6], fill=COLOURS[index % len(COLOURS)])
        _draw_icon(draw, area.key, x + w // 2, y + h * 0.4, 300)
        if font is not None:
            draw.text((x + w // 2, y + h * 0.78), area.label, fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def menu_definition(menu_areas, image):
    """The RichMenuRequest body, named after a hash of itself and the image."""
    body = {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "chatBarText": "メニュー",
        "areas": [{"bounds": _bounds(index), "action": area.action} for index, area in enumerate(menu_areas)],
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode() + image).hexdigest()
    return {**body, "name": f"{NAME_PREFIX}{digest[:16]}"}


@dataclass
class SetupResult:
    rich_menu_id: str
    created: bool
    made_default: bool
    deleted: list
    has_japanese_font: bool


def set_up_rich_menu(timeout=(3, 30)):
    """Create the hub's rich menu on LINE and make it the default, unless it is already there.

    Returns:
        A :class:`SetupResult`. Old menus of the hub (by name prefix) are deleted once the new one is
        the default; menus made by other tools are left alone.
    """
    from linebot.v3 import messaging as line

    menu_areas = areas()
    image = menu_image(menu_areas)
    definition = menu_definition(menu_areas, image)
    api_config = line.Configuration(
        host=settings.LINE_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    data_config = line.Configuration(
        host=settings.LINE_DATA_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    with line.ApiClient(api_config) as client, line.ApiClient(data_config) as data_client:
        api = line.MessagingApi(client)
        existing = api.get_rich_menu_list(_request_timeout=timeout).richmenus
        ours = [menu for menu in existing if menu.name.startswith(NAME_PREFIX)]
        current = next((menu for menu in ours if menu.name == definition["name"]), None)
        created = current is None
        if created:
            menu_id = api.create_rich_menu(
                line.RichMenuRequest.from_dict(definition), _request_timeout=timeout
            ).rich_menu_id
            line.MessagingApiBlob(data_client).set_rich_menu_image(
                menu_id, image, _headers={"Content-Type": "image/png"}, _request_timeout=timeout
            )
        else:
            menu_id = current.rich_menu_id
        try:
            default_id = api.get_default_rich_menu_id(_request_timeout=timeout).rich_menu_id
        except line.ApiException as error:
            if error.status != 404:
                raise
            default_id = None
        made_default = default_id != menu_id
        if made_default:
            api.set_default_rich_menu(menu_id, _request_timeout=timeout)
        deleted = []
        for menu in ours:
            if menu.rich_menu_id != menu_id:
                api.delete_rich_menu(menu.rich_menu_id, _request_timeout=timeout)
                deleted.append(menu.rich_menu_id)
    font = japanese_font(10) is not None
    logger.info(
        "Rich menu %s: created=%s default=%s deleted=%d", menu_id, created, made_default, len(deleted)
    )
    return SetupResult(menu_id, created, made_default, deleted, font)
