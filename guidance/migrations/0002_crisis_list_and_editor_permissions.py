"""The starting crisis list (administrators extend it), the crisis replies awaiting a physician's
approval, and the Editors' permissions on services, bot answers and the unanswered questions."""

import re
import unicodedata

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Each in kanji and in kana where people write both; katakana and width are folded by normalise().
CRISIS = [
    # Wanting to die or disappear
    "死にたい", "しにたい", "死にたく", "しにたく", "死のうと", "死んでしまいたい", "しんでしまいたい",
    "消えたい", "きえたい", "消えたく", "きえたく", "消えてしまいたい", "いなくなりたい", "居なくなりたい",
    "生きていたくない", "いきていたくない", "生きるのがつらい", "生きるのが辛い", "いきるのがつらい",
    "生きる意味がない", "生きている意味がない", "人生を終わりに", "楽に死", "自殺", "じさつ", "首を吊",
    "首吊", "くびつり", "くびをつろ", "くびをつりた", "飛び降りたい", "とびおりたい", "飛び降り自殺",
    "飛び込みたい", "遺書",
    # Harming oneself
    "自傷", "リストカット", "リスカ", "手首を切", "てくびをき", "薬を全部飲", "オーバードーズ",
    # Harming the child
    "子どもを殺", "子供を殺", "こどもをころ", "殺してしまいそう", "ころしてしまいそう", "殺したい",
    "ころしたい", "道連れ", "みちづれ", "無理心中", "心中しよう", "心中したい", "しんじゅうし",
    "叩いてしまう", "たたいてしまう", "叩いてしまった", "たたいてしまった", "殴ってしまう", "なぐってしまう",
    "投げてしまいそう", "首を絞め", "くびをしめ", "虐待", "ぎゃくたい",
    # Violence at home
    "殴られ", "なぐられ", "蹴られ", "暴力を受け", "暴力をふる", "暴力を振る", "ぼうりょくをふる",
    "ぼうりょくをうけ", "ＤＶを受け", "ＤＶされ", "殺される", "ころされる",
]
IDIOMS = [
    "死ぬほど", "しぬほど", "死ぬかと思", "しぬかとおも", "死ぬくらい", "しぬくらい", "死にそうなくらい",
    "しにそうなくらい", "死にそうなほど", "死んだように眠", "しんだようにねむ", "死ぬ気で", "殺人的",
]

REPLIES = {
    "ja": (
        "メッセージをありがとうございます。とてもつらい状況にいらっしゃるのかもしれません。"
        "ひとりで抱えこまず、いますぐ下の窓口に話してください。命にかかわるときや、"
        "お子さんやあなたが危ないときは、迷わず119番または110番へ。"
    ),
    "en": (
        "Thank you for your message. You may be going through something very hard. Please do not carry "
        "it alone: talk to one of the lines below now. If a life is in danger, or you or your child are "
        "not safe, call 119 or 110 at once."
    ),
}


def _normalise(text):
    # A frozen copy of guidance.crisis.normalise: migrations must not change when the code does.
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in folded)
    return re.sub(r"[\W_]+", "", folded)


def seed(apps, schema_editor):
    CrisisExpression = apps.get_model("guidance", "CrisisExpression")
    CrisisReply = apps.get_model("guidance", "CrisisReply")
    for kind, expressions in (("crisis", CRISIS), ("idiom", IDIOMS)):
        for expression in expressions:
            CrisisExpression.objects.get_or_create(
                kind=kind, normalised=_normalise(expression), defaults={"expression": expression}
            )
    for language, text in REPLIES.items():
        CrisisReply.objects.get_or_create(language=language, defaults={"text": text})

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="Editors")
    codenames = [
        f"{action}_{model}"
        for model in ("consultationservice", "questionanswer")
        for action in ("add", "change", "delete", "view")
    ] + ["view_unansweredquestion", "view_botreply"]
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="guidance", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0001_initial"),
        ("articles", "0005_review_groups_and_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
