"""Benchmark: how long the LINE bot takes to decide an answer, by route, as the editors' list grows.

Run by hand, not in the tests:

    .venv/bin/python bench/guidance_answer.py --answers 50 200 1000 --articles 30

Uses the test settings (SQLite in memory, or PostgreSQL with DATABASE_URL) and a throw-away test
database with the crisis list from the migration, N questions and answers of five phrasings each and
M approved live articles. Times ``guidance.answering.answer`` only (no LINE request): median and
95th percentile per route over repeated messages, and the process's peak resident memory.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

MESSAGES = {
    "crisis": "【サンプル】もう死にたい",
    "answer": "【サンプル】質問7について相談できるところはどこですか",
    "articles": "離乳食の進め方を知りたい",
    "fallback": "今日はいい天気ですね",
}
TOPICS = ["離乳食", "予防接種", "夜泣き", "発熱", "母乳", "歯みがき", "寝かしつけ", "健診", "湿疹", "便秘"]


def setup(articles):
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from wagtail.models import Page, Site

    from articles.factories import ArticleIndexPageFactory, ArticlePageFactory, publish_approved
    from home.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title="おやこハブ", slug="bench"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = ArticleIndexPageFactory(parent=home)
    for n in range(articles):
        topic = TOPICS[n % len(TOPICS)]
        page = ArticlePageFactory(
            parent=index, title=f"【サンプル】{topic}の進め方 {n}", summary=f"【サンプル】{topic}"
        )
        publish_approved(page)


def add_answers(total):
    """Up to ``total`` answers, each saved as a revision by an editor, approved by a physician and
    published (the bot sends approved words only)."""
    from django.contrib.auth import get_user_model

    from wagtail.models import Locale

    from articles.factories import PhysicianFactory
    from guidance.models import QuestionAnswer, WordsApproval

    User = get_user_model()
    author = User.objects.get_or_create(username="bench-editor")[0]
    reviewer = User.objects.get_or_create(username="bench-physician")[0]
    physician = PhysicianFactory(user=reviewer) if not hasattr(reviewer, "physician") else reviewer.physician
    japanese = Locale.objects.get(language_code="ja")
    have = QuestionAnswer.objects.count()
    for n in range(have, total):
        entry = QuestionAnswer.objects.create(
            question=f"【サンプル】質問{n}",
            phrasings="\n".join(
                f"【サンプル】質問{n}について{way}"
                for way in ("相談したい", "知りたい", "聞きたい", "どこで", "いつ")
            ),
            answer="【サンプル】回答",
            locale=japanese,
            live=False,
        )
        revision = entry.save_revision(user=author)
        WordsApproval.objects.create(revision=revision, physician=physician, approved_by=reviewer)
        revision.publish(user=author, skip_permission_checks=True)


def measure(repeat):
    from guidance.answering import answer

    figures = {}
    for route, text in MESSAGES.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = answer(text, "ja")
            times.append((time.perf_counter() - start) * 1000)
        assert result.route == route, (route, result.route)
        times.sort()
        figures[route] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    setup(options.articles)
    for total in options.answers:
        add_answers(total)
        figures = measure(options.repeat)
        line = "  ".join(f"{route} {median:.1f}/{p95:.1f} ms" for route, (median, p95) in figures.items())
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"answers={total:5d} articles={options.articles}  {line}  peak_rss={rss:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
