"""Crisis expressions in the hub's other languages (the starting list was Japanese only), so a
parent writing in English, Chinese, Vietnamese, Tagalog, Korean or Portuguese meets the crisis
reply too. Administrators extend the list; an idiom that contains an expression (want to diet,
想死你) is cut out before checking."""

import re
import unicodedata

from django.db import migrations

CRISIS = [
    # English
    "want to die", "wanna die", "kill myself", "killing myself", "end my life", "end it all",
    "suicide", "suicidal", "hurt myself", "harm myself", "self harm", "cut myself",
    "don't want to live", "no reason to live", "better off dead", "hurt my baby", "harm my baby",
    "shake my baby", "kill my baby", "hurt my child", "kill my child",
    # 简体中文
    "想死", "不想活", "自杀", "轻生", "活不下去", "伤害自己", "伤害孩子", "掐死",
    # Tiếng Việt
    "muốn chết", "tự tử", "tự sát", "không muốn sống", "tự làm hại", "làm hại con",
    # Filipino
    "magpakamatay", "gusto ko nang mamatay", "ayoko nang mabuhay", "saktan ang sarili",
    "saktan ang anak",
    # 한국어
    "죽고 싶", "자살", "살고 싶지 않", "자해", "아이를 해칠",
    # Português
    "quero morrer", "me matar", "suicídio", "suicidio", "não quero mais viver", "nao quero mais viver",
    "me machucar", "machucar meu bebê", "machucar meu bebe",
]
IDIOMS = [
    "want to diet", "wanna diet",  # contain "want to die" once spaces are removed
    "想死你", "想死我了",  # "I miss you so much"
]


def _normalise(text):
    # A frozen copy of guidance.crisis.normalise: migrations must not change when the code does.
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in folded)
    return re.sub(r"[\W_]+", "", folded)


def seed(apps, schema_editor):
    CrisisExpression = apps.get_model("guidance", "CrisisExpression")
    for kind, expressions in (("crisis", CRISIS), ("idiom", IDIOMS)):
        for expression in expressions:
            CrisisExpression.objects.get_or_create(
                kind=kind, normalised=_normalise(expression), defaults={"expression": expression}
            )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0004_reviewed_bot_words")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
