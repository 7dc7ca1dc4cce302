"""A rich menu for each stage (pregnancy, baby, toddler and child), drawn by the hub, linked to each
follower by LINE's bulk link API and switched when a household's children move to another stage.

Each menu has six areas: the stage's articles, get help, and four message actions the bot's
features answer: 「こころのチェック」 (the self-check), 「予約」 (booking), 「相談したい」
(consultation) and 「設定」 (this app's settings). A follower in no household, or whose children are
all past six, keeps the account's default menu (``guidance.richmenu``).

Only Celery tasks call LINE from here (:mod:`families.tasks`). Links are made in bulk, at most 500
users a request, spaced by ``FAMILIES_RICH_MENU_REQUESTS_PER_SECOND``; a 429 or 5xx raises
:class:`TransientMenuError`, which the task retries with backoff. Each member's linked menu is
recorded after its request succeeds, so a retry continues where the last run stopped.
"""

import hashlib
import io
import json
import logging
import random
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guidance.richmenu import _absolute, _articles_url, _draw_icon, japanese_font
from notifications.models import SubscriberStatus

from .enums import MENU_FOR_STAGE, MenuKind
from .models import Child, Member, StageMenu

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
NAME_PREFIX = "oyako-stage "
BULK_LIMIT = 500
# White text on each is above 7:1; the stage colour is the menu's top band.
COLOURS = ["#0b5e55", "#7a2e00", "#1f4e8c", "#5b3d8a", "#6b4400", "#3d4a5c"]
STAGE_BANDS = {MenuKind.PREGNANCY: "#a3264f", MenuKind.BABY: "#1f4e8c", MenuKind.TODDLER: "#0b5e55"}
STAGE_FILTERS = {MenuKind.PREGNANCY: "pregnancy_mid", MenuKind.BABY: "age_0_1", MenuKind.TODDLER: "age_1_3"}
# What the other features answer; the words are theirs, the menu only sends them.
SELF_CHECK_TEXT = "こころのチェック"
BOOKING_TEXT = "予約"
CONSULT_TEXT = "相談したい"
SETTINGS_TEXT = "設定"


class TransientMenuError(Exception):
    """LINE answered 429 or 5xx, or did not answer: worth retrying later."""


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    action: dict


def backoff(retries):
    return random.uniform(1, min(600, 2**retries * 5))


def _stage_articles(kind):
    return f"{_articles_url()}?{urlencode({'stage': STAGE_FILTERS[kind]})}"


def areas(kind):
    """The six areas of ``kind``'s menu, labelled in the default language."""
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        articles = {
            MenuKind.PREGNANCY: _("Pregnancy articles"),
            MenuKind.BABY: _("Baby articles"),
            MenuKind.TODDLER: _("Child articles"),
        }[kind]
        get_help = _("Get help")

        def says(key, label, text):
            return Area(key, label, {"type": "message", "label": label, "text": text})

        return [
            Area("articles", articles, {"type": "uri", "label": articles, "uri": _stage_articles(kind)}),
            says("check", _("Self-check"), SELF_CHECK_TEXT),
            says("booking", _("Book"), BOOKING_TEXT),
            says("consult", _("Talk to us"), CONSULT_TEXT),
            Area(
                "help",
                get_help,
                {"type": "uri", "label": get_help, "uri": _absolute(reverse("guidance:get_help"))},
            ),
            says("settings", _("Settings"), SETTINGS_TEXT),
        ]


def _bounds(index):
    column, row = index % COLUMNS, index // COLUMNS
    left, right = column * WIDTH // COLUMNS, (column + 1) * WIDTH // COLUMNS
    return {"x": left, "y": row * HEIGHT // ROWS, "width": right - left, "height": HEIGHT // ROWS}


ICONS = {"articles": "articles", "check": "survey", "consult": "help", "settings": "settings"}


def _draw(draw, key, cx, cy, size):
    if key in ICONS:
        _draw_icon(draw, ICONS[key], cx, cy, size)
        return
    white, half = "#ffffff", size // 2
    if key == "booking":  # a calendar
        draw.rectangle([cx - half, cy - half * 0.6, cx + half, cy + half * 0.8], outline=white, width=18)
        draw.line([cx - half, cy - half * 0.2, cx + half, cy - half * 0.2], fill=white, width=18)
        for dx in (-0.5, 0.5):
            draw.line(
                [cx + dx * half, cy - half * 0.9, cx + dx * half, cy - half * 0.4], fill=white, width=18
            )
    else:  # get help: a cross in a circle
        draw.ellipse([cx - half, cy - half, cx + half, cy + half], outline=white, width=18)
        draw.line([cx, cy - half * 0.55, cx, cy + half * 0.55], fill=white, width=30)
        draw.line([cx - half * 0.55, cy, cx + half * 0.55, cy], fill=white, width=30)


def menu_image(kind, menu_areas):
    """The menu's PNG: the stage's band on top, one panel per area with a pictogram and label."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = japanese_font(96)
    for index, area in enumerate(menu_areas):
        box = _bounds(index)
        x, y, w, h = box["x"], box["y"], box["width"], box["height"]
        draw.rectangle([x + 6, y + 6, x + w - 6, y + h - 6], fill=COLOURS[index % len(COLOURS)])
        _draw(draw, area.key, x + w // 2, y + h * 0.4, 260)
        if font is not None:
            draw.text((x + w // 2, y + h * 0.8), area.label, fill="#ffffff", font=font, anchor="mm")
    draw.rectangle([0, 0, WIDTH, 24], fill=STAGE_BANDS[kind])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def menu_definition(kind, menu_areas, image):
    with translation.override(settings.LANGUAGE_CODE):
        chat_bar = _("Menu")
    body = {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "chatBarText": chat_bar[:14],
        "areas": [{"bounds": _bounds(index), "action": area.action} for index, area in enumerate(menu_areas)],
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode() + image).hexdigest()
    return {**body, "name": f"{NAME_PREFIX}{kind} {digest[:12]}"}


def _clients():
    from linebot.v3 import messaging as line

    api = line.Configuration(
        host=settings.LINE_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    data = line.Configuration(
        host=settings.LINE_DATA_API_BASE_URL.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    return line.ApiClient(api), line.ApiClient(data)


def _timeout():
    return getattr(settings, "FAMILIES_RICH_MENU_TIMEOUT", (3, 30))


def _call(function, *args, **kwargs):
    """Call line-bot-sdk, turning what is worth retrying into TransientMenuError."""
    from linebot.v3.messaging import ApiException

    try:
        return function(*args, _request_timeout=_timeout(), **kwargs)
    except ApiException as error:
        if error.status == 429 or (error.status or 0) >= 500:
            raise TransientMenuError(f"LINE answered {error.status}") from error
        raise
    except OSError as error:
        raise TransientMenuError(type(error).__name__) from error
    except Exception as error:  # urllib3's connection and timeout errors
        if type(error).__module__.startswith("urllib3"):
            raise TransientMenuError(type(error).__name__) from error
        raise


def set_up_stage_menus():
    """Create the stage menus on LINE unless they are already there; returns ``{kind: created}``.

    Safe to run again: a menu whose definition and image are unchanged is found by name; a changed
    one is created anew, recorded, and the old one deleted once nobody is recorded on it.
    """
    from linebot.v3 import messaging as line

    results = {}
    client, data_client = _clients()
    with client, data_client:
        api = line.MessagingApi(client)
        existing = _call(api.get_rich_menu_list).richmenus
        ours = {menu.name: menu.rich_menu_id for menu in existing if menu.name.startswith(NAME_PREFIX)}
        wanted = set()
        for kind in MenuKind:
            menu_areas = areas(kind)
            image = menu_image(kind, menu_areas)
            definition = menu_definition(kind, menu_areas, image)
            wanted.add(definition["name"])
            menu_id = ours.get(definition["name"])
            results[kind] = menu_id is None
            if menu_id is None:
                menu_id = _call(api.create_rich_menu, line.RichMenuRequest.from_dict(definition)).rich_menu_id
                _call(
                    line.MessagingApiBlob(data_client).set_rich_menu_image,
                    menu_id,
                    image,
                    _headers={"Content-Type": "image/png"},
                )
            previous = StageMenu.objects.filter(kind=kind).first()
            StageMenu.objects.update_or_create(
                kind=kind, defaults={"rich_menu_id": menu_id, "name": definition["name"]}
            )
            if previous is not None and previous.rich_menu_id != menu_id:
                # Everyone on the old one is linked again to the new one by the next switch.
                Member.objects.filter(menu_linked=kind).update(menu_linked="")
        for name, menu_id in ours.items():
            if name not in wanted:
                _call(api.delete_rich_menu, menu_id)
    logger.info("Stage rich menus: %s", {kind.value: created for kind, created in results.items()})
    return results


def wanted_menu(children, today):
    """The menu for a household: its youngest child's stage (a pregnancy first), or None."""
    if any(child.birth_month is None for child in children):
        return MenuKind.PREGNANCY
    for child in sorted(children, key=lambda child: child.birth_month, reverse=True):
        stage = child.life_stage(today)
        if stage is not None:
            return MENU_FOR_STAGE[stage]
    return None


def pending_switches(household_pks=None, today=None):
    """``{kind or "": [(member pk, LINE user ID), ...]}``: the followers whose menu is not the one
    their household's children call for ("" for back to the default)."""
    today = today or timezone.localdate()
    members = Member.objects.filter(
        follower__status=SubscriberStatus.ACTIVE, follower__line_user_id__isnull=False
    )
    if household_pks is not None:
        members = members.filter(household_id__in=household_pks)
    rows = list(members.values_list("pk", "household_id", "follower__line_user_id", "menu_linked"))
    children = {}
    for child in Child.objects.filter(household_id__in={row[1] for row in rows}).only(
        "household_id", "due_month", "birth_month"
    ):
        children.setdefault(child.household_id, []).append(child)
    switches = {}
    for pk, household_id, user_id, linked in rows:
        kind = wanted_menu(children.get(household_id, []), today) or ""
        if kind != linked:
            switches.setdefault(kind, []).append((pk, user_id))
    return switches


def switch_menus(household_pks=None, today=None):
    """Link every follower whose menu should change, in bulk. Returns how many were switched."""
    from linebot.v3 import messaging as line

    if not settings.LINE_CHANNEL_ACCESS_TOKEN:
        logger.info("No LINE access token configured: stage menus not switched")
        return 0
    menus = dict(StageMenu.objects.values_list("kind", "rich_menu_id"))
    if not menus:
        logger.info("Stage menus are not set up (manage.py setup_stage_menus): nothing switched")
        return 0
    switches = pending_switches(household_pks, today)
    spacing = 1 / max(getattr(settings, "FAMILIES_RICH_MENU_REQUESTS_PER_SECOND", 10), 0.1)
    switched = 0
    client, _data = _clients()
    with client:
        api = line.MessagingApi(client)
        for kind, members in sorted(switches.items()):
            if kind and kind not in menus:
                continue
            for start in range(0, len(members), BULK_LIMIT):
                chunk = members[start : start + BULK_LIMIT]
                user_ids = [user_id for _pk, user_id in chunk]
                if kind:
                    request = line.RichMenuBulkLinkRequest(richMenuId=menus[kind], userIds=user_ids)
                    _call(api.link_rich_menu_id_to_users, request)
                else:
                    _call(
                        api.unlink_rich_menu_id_from_users, line.RichMenuBulkUnlinkRequest(userIds=user_ids)
                    )
                Member.objects.filter(pk__in=[pk for pk, _user in chunk]).update(menu_linked=kind)
                switched += len(chunk)
                time.sleep(spacing)
    if switched:
        logger.info("Stage menus switched for %d followers", switched)
    return switched


def unlink(follower_pk):
    """Give one follower (who left a household) the default menu back."""
    from linebot.v3 import messaging as line

    from notifications.models import LineFollower

    if not settings.LINE_CHANNEL_ACCESS_TOKEN:
        return False
    user_id = (
        LineFollower.objects.filter(Q(pk=follower_pk), ~Q(line_user_id=None))
        .values_list("line_user_id", flat=True)
        .first()
    )
    if not user_id:
        return False
    client, _data = _clients()
    with client:
        _call(line.MessagingApi(client).unlink_rich_menu_id_from_user, user_id)
    return True
