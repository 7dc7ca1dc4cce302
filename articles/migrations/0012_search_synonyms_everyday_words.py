from django.core.cache import cache
from django.db import migrations

# articles.search.SYNONYMS_CACHE_KEY: running processes read the synonyms from the cache, and a
# migration's historical model sends no signal the search listens to.
SYNONYMS_CACHE_KEY = "articles:search:synonym-groups"


# Everyday words parents type for the demo's topics, beside the words the articles use. New groups
# only (editors may have changed the earlier ones); a word in two groups meets the words of both.
SEED = [
    ("熱が下がらない, 熱が続く, 高熱, 発熱", "Fever that does not go down"),
    ("夜泣き, 夜中に起きる, 寝かしつけ, 寝ない", "Night waking"),
    ("産後うつ, マタニティブルー, マタニティーブルー, マタニティブルーズ, 気持ちの落ち込み, 気分の落ち込み", "Low mood after birth"),
    ("おしるし, お印, 出産のサイン, 陣痛, 破水", "Signs of labour"),
    ("持ち物, 入院準備, 入院の準備", "Hospital bag"),
    ("言葉, ことば", ""),
    ("間食, おやつ, お菓子", "Snacks"),
    ("疲れた, 疲れ, しんどい, つらい", ""),
    ("家事, 家族の協力, 分担", ""),
    ("休めない, 休む, 休み, 休息", ""),
    ("吐き気, つわり, 気持ち悪い", ""),
    ("妊娠届, 妊娠の届出, 届出", ""),
    ("うつる病気, 感染症", ""),
]


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    for terms, note in SEED:
        SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})
    cache.delete(SYNONYMS_CACHE_KEY)


def unseed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=[terms for terms, _note in SEED]).delete()
    cache.delete(SYNONYMS_CACHE_KEY)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_article_approval_withdrawn_at")]

    operations = [migrations.RunPython(seed_synonyms, unseed_synonyms)]
