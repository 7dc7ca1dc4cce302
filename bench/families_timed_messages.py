"""Benchmark: a fiscal year of timed messages for N households with 1.6 children on average,
compared with today's one month per family.

Run by hand, not in the tests:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wt_families .venv/bin/python \
        bench/families_timed_messages.py --families 10000 --months 3 --mode families
    DATABASE_URL=... .venv/bin/python bench/families_timed_messages.py --families 10000 --mode single

``--mode families``: N households; half have one child, four in ten two, one in ten three (1.6 on
average); one in eight children a pregnancy; one household in five has a partner following too; a
third of the children have a nickname (their messages go out under their name, one notification per
distinct name). ``--mode single``: N LINE followers with one month each, as before households
(the figure ``timed_messages.py`` measures). The same series and year as ``timed_messages.py``;
sending switched off: the beat's own cost.
"""

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timed_messages import build, run_year, setup_django

NICKNAMES = ["ゆい", "そら", "りく", "ひな", "はると", "めい", "Mia", "Lucas"]


def build_households(families):
    """Households, children and members in bulk (the rows sign-up would make)."""
    from families.models import Child, Household, Member
    from notifications.models import LineFollower
    from notifications.models.subscribers import add_months

    start = datetime.date(2027, 4, 1)
    households = Household.objects.bulk_create([Household() for _n in range(families)], batch_size=5000)
    children, followers = [], []
    for index, household in enumerate(households):
        count = 1 if index % 10 < 5 else 2 if index % 10 < 9 else 3
        for number in range(count):
            serial = index * 3 + number
            pregnant = number == count - 1 and serial % 8 == 0
            children.append(
                Child(
                    household=household,
                    due_month=add_months(start, serial % 10) if pregnant else None,
                    birth_month=None if pregnant else add_months(start, -((serial * 7 + number * 19) % 72)),
                    nickname=NICKNAMES[serial % len(NICKNAMES)] if serial % 3 == 0 else "",
                )
            )
        followers.append(LineFollower(line_user_id=f"U{index:032x}", language="ja", stage_chosen=True))
        if index % 5 == 0:
            followers.append(LineFollower(line_user_id=f"P{index:032x}", language="en", stage_chosen=True))
    Child.objects.bulk_create(children, batch_size=5000)
    LineFollower.objects.bulk_create(followers, batch_size=5000)
    by_user = dict(LineFollower.objects.values_list("line_user_id", "pk"))
    members = []
    for index, household in enumerate(households):
        members.append(Member(household=household, follower_id=by_user[f"U{index:032x}"]))
        if index % 5 == 0:
            members.append(Member(household=household, follower_id=by_user[f"P{index:032x}"], role="invited"))
    Member.objects.bulk_create(members, batch_size=5000)
    return len(children), len(followers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=16)
    parser.add_argument("--months", type=int, default=12, help="months of daily runs from April 2027")
    parser.add_argument("--mode", choices=["families", "single"], default="families")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    if args.mode == "single":
        build(args.families, args.messages)
        children, followers = args.families, args.families
    else:
        build(0, args.messages)
        children, followers = build_households(args.families)
    built = time.perf_counter() - started
    result = run_year(args.months)
    result.update(
        mode=args.mode,
        families=args.families,
        children=children,
        followers=followers,
        messages=args.messages,
        build_s=round(built, 1),
        database=connection.vendor,
    )
    result["busiest_day"]["seconds"] = round(result["busiest_day"]["seconds"], 3)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
