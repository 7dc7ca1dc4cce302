"""Sample consultation services, bot answers and the crisis reply for the demo site; the answers and
the reply are written by the demo editor and administrator and approved through the Medical review
workflow by the demo physician (English by the demo medical translator), as in the admin.

The services follow the city's plan (online consultation with paediatricians, obstetricians and
midwives; online counselling after birth); contractor names and numbers are fictional and every
text is marked 【サンプル】. The emergency and crisis numbers on the get-help page are the real
national ones (guidance.emergency). Loaded idempotently: nothing is created twice.
"""

import datetime

from wagtail.log_actions import LogContext
from wagtail.models import Locale

from .models import (
    BotReply,
    ConsultationService,
    CrisisReply,
    HolidayRule,
    OpeningPeriod,
    QuestionAnswer,
    Route,
)
from .review import words_for_parent

SAMPLE = "【サンプル】"
ALL_WEEK = range(7)
WEEKDAYS = range(5)

SERVICES = [
    {
        "name": f"{SAMPLE}オンライン医療相談（小児科・産婦人科・助産師）",
        "provider": "あおぞらメディカルネット株式会社（架空の事業者）",
        "audience": "妊娠中の方と、小学校入学前のお子さんの保護者",
        "helps_with": (
            "子どもの発熱や発疹、授乳、妊娠中の体調などを、小児科医・産婦人科医・助産師にLINEま"
            "たはブラウザの文章で相談できます。急ぎの受診が必要なときはその旨をお伝えします。"
        ),
        "line_url": "https://line.me/R/ti/p/@sample-aozora",
        "web_url": "https://example.jp/sample/aozora-consultation",
        "all_hours": True,
        "cost": "無料（市が負担します）",
        "languages": "日本語、English",
        "sort_order": 10,
        "translation": {
            "name": "[Sample] Online medical consultation (paediatrics, obstetrics, midwives)",
            "provider": "Aozora Medical Net Co. (fictional)",
            "audience": "Pregnant women and parents of children before primary school",
            "helps_with": (
                "Ask a paediatrician, obstetrician or midwife in writing on LINE or in the browser about "
                "fever, rashes, feeding or how you feel in pregnancy. They will tell you when you should "
                "see a doctor soon."
            ),
            "cost": "Free (paid by the city)",
            "languages": "Japanese, English",
        },
    },
    {
        "name": f"{SAMPLE}助産師・医師の予約相談（ビデオ通話）",
        "provider": "あおぞらメディカルネット株式会社（架空の事業者）",
        "audience": "妊娠中の方と、小学校入学前のお子さんの保護者",
        "helps_with": (
            "予約制で、助産師または医師とビデオ通話で15分ほど話せます。母乳や離乳食、発達の心"
            "配など、じっくり聞きたいことに。"
        ),
        "booking_url": "https://example.jp/sample/aozora-booking",
        "spans": [(day, datetime.time(9), datetime.time(17)) for day in range(6)],
        "holiday_rule": HolidayRule.CLOSED,
        "year_end_closed": True,
        "hours_note": "予約は前日まで（サンプル）",
        "cost": "無料（市が負担します）",
        "languages": "日本語",
        "sort_order": 20,
    },
    {
        "name": f"{SAMPLE}産後こころのオンラインカウンセリング",
        "provider": "こもれびカウンセリング合同会社（架空の事業者・精神科医が監修）",
        "audience": "妊娠中・産後のお母さんとお父さん、そのご家族",
        "helps_with": (
            "気分の落ち込み、眠れない、子どもをかわいいと思えないなど、産前産後のこころのつら"
            "さを公認心理師などのカウンセラーに相談できます。夜間・休日も受け付けます。"
        ),
        "line_url": "https://line.me/R/ti/p/@sample-komorebi",
        "spans": [(day, datetime.time(18), datetime.time(0)) for day in WEEKDAYS]
        + [(day, datetime.time(10), datetime.time(0)) for day in (5, 6)],
        "holiday_rule": HolidayRule.AS_SUNDAY,
        "cost": "無料（市が負担します）",
        "languages": "日本語、English",
        "sort_order": 30,
        "translation": {
            "name": "[Sample] Online counselling after birth",
            "provider": "Komorebi Counselling LLC (fictional; supervised by a psychiatrist)",
            "audience": "Mothers and fathers in pregnancy and after birth, and their families",
            "helps_with": (
                "Feeling low, not sleeping, not feeling close to your baby: talk to a counsellor about "
                "how you feel before and after birth. Evenings and holidays too."
            ),
            "cost": "Free (paid by the city)",
            "languages": "Japanese, English",
        },
    },
    {
        "name": f"{SAMPLE}上尾市 こども家庭センター（電話・窓口）",
        "provider": "上尾市（サンプル）",
        "audience": "妊娠中の方と子育て中のご家族",
        "helps_with": "母子健康手帳の交付、乳幼児健診、子育ての困りごとの相談。保健師がお話を伺います。",
        "phone": "048-000-0000",
        "spans": [(day, datetime.time(8, 30), datetime.time(17, 15)) for day in WEEKDAYS],
        "holiday_rule": HolidayRule.CLOSED,
        "year_end_closed": True,
        "hours_note": "電話番号はサンプルです",
        "cost": "無料",
        "languages": "日本語",
        "sort_order": 40,
    },
]

ANSWERS = [
    {
        "question": "夜中に子どもが熱を出した",
        "phrasings": (
            "夜に赤ちゃんが発熱した\n子どもの熱が下がらない、夜中にどこに相談する\n夜間に子どもの具合が悪い"
        ),
        "answer": (
            f"{SAMPLE}急いで病院へ行くべきか迷うときは、子ども医療電話相談 #8000 や、24時間"
            "のオンライン医療相談に相談できます。命にかかわると感じたら迷わず119番へ。"
        ),
        "service": 0,
    },
    {
        "question": "助産師に相談したい",
        "phrasings": "母乳のことを助産師さんに聞きたい\n授乳の相談はどこでできますか\n助産師と話したい",
        "answer": (
            f"{SAMPLE}助産師・医師の予約相談（ビデオ通話）で、母乳や授乳のことをじっくり相談で"
            "きます。急ぎでなければ予約がおすすめです。"
        ),
        "service": 1,
    },
    {
        "question": "気持ちが落ち込む",
        "phrasings": "産後うつが心配\n気分が落ち込んで眠れない\n育児がつらい、誰かに話を聞いてほしい",
        "answer": (
            f"{SAMPLE}ひとりで抱えこまないでください。産後こころのオンラインカウンセリングは夜"
            "間・休日も受け付けていて、ご家族からの相談もできます。"
        ),
        "service": 2,
        "translation": {
            "question": "I feel low",
            "phrasings": (
                "I am worried about postnatal depression\nI feel down and cannot sleep\nI need someone "
                "to talk to"
            ),
            "answer": (
                "[Sample] Please don't carry this alone. The online counselling after birth answers in "
                "the evenings and on holidays, and your family can ask too."
            ),
        },
    },
    {
        "question": "母子手帳をもらいたい",
        "phrasings": "母子手帳はどこでもらえる\n母子健康手帳の交付\n妊娠したら何をすればいい",
        "answer": f"{SAMPLE}母子健康手帳は、こども家庭センターで妊娠の届出をするともらえます。",
        "service": 3,
    },
    {
        "question": "離乳食はいつから",
        "phrasings": "離乳食の始め方\n離乳食はいつ始める\n赤ちゃんの離乳食を始めたい",
        "answer": f"{SAMPLE}離乳食の始め方は、医師が監修した記事にまとめています。",
        "article_slug": "starting-weaning",
    },
]

# Written by the editor and submitted for review, not yet approved: the demo physician finds it
# waiting in "Awaiting your review" (and the bot does not use it until they approve it).
PENDING_ANSWERS = [
    {
        "question": "夜泣きが続いてつらい",
        "phrasings": "赤ちゃんの夜泣きがひどい\n夜泣きで眠れない\n夜中に何度も泣いて起きる",
        "answer": (
            f"{SAMPLE}夜泣きは多くの赤ちゃんにみられます。つらいときは、産後こころのオンラインカウンセリ"
            "ングで気持ちを話せます。ぐったりしている、熱があるなど、いつもと様子が違うときは医療相談へ。"
        ),
        "service": 2,
    },
]

CRISIS_REPLY_JA = (
    "メッセージをありがとうございます。とてもつらい状況にいらっしゃるのかもしれません。ひとりで抱えこまず、"
    "いますぐ下の窓口に話してください。命にかかわるときや、お子さんやあなたが危ないときは、迷わず119番または110番へ。"
)


# Replies over the past quarter, per route and language: the bot report's rows (route and language
# only, as the bot records them). (route, language, replies a month)
BOT_REPLIES = [
    (Route.ANSWER, "ja", 38),
    (Route.ARTICLES, "ja", 27),
    (Route.MENU, "ja", 45),
    (Route.FALLBACK, "ja", 9),
    (Route.CRISIS, "ja", 2),
    (Route.ANSWER, "en", 4),
    (Route.ARTICLES, "ja-x-easy", 3),
    (Route.ANSWER, "vi", 1),
]


def load_demo_bot_replies(today, report):
    """Three months of the bot's replies, spread over each month's days (idempotent by event id)."""
    from django.utils import timezone

    for month in range(3):
        for route, language, count in BOT_REPLIES:
            for n in range(max(1, count - month * 3)):
                day = today - datetime.timedelta(days=month * 30 + (n * 7) % 29)
                answered_at = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(7 + (n * 5) % 16, (n * 13) % 60))
                )
                _row, created = BotReply.objects.get_or_create(
                    webhook_event_id=f"demo-{month}-{route}-{language}-{n}",
                    defaults={"route": route, "language": language, "answered_at": answered_at},
                )
                report.count("Sample bot replies", created)


def _translate(instance, locale, fields):
    """The instance's translation in ``locale``, created with ``fields`` when missing."""
    existing = instance.get_translation_or_none(locale)
    if existing is not None:
        return existing, False
    translation = instance.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    if hasattr(translation, "live_revision"):
        # Reviewed words: the translation starts as a draft waiting for its own review.
        translation.live, translation.live_revision, translation.has_unpublished_changes = False, None, True
    translation.save()
    return translation, True


def _review(obj, author, reviewer, report, kind):
    """Save ``obj`` as ``author``'s revision, submit it to the Medical review workflow and have
    ``reviewer`` approve it there: the same action a physician takes in the admin (audited)."""
    if words_for_parent(obj) is not None:
        return
    if author is None or reviewer is None:
        report.notes.append(f"{kind}: not approved (the demo users who write and review it are missing).")
        return
    workflow = obj.get_workflow()
    if workflow is None:
        report.notes.append(f"{kind}: not approved (the Medical review workflow is switched off).")
        return
    if obj.workflow_in_progress:
        obj.current_workflow_state.cancel(user=author)
    obj.save_revision(user=author)
    workflow.start(obj, author)
    obj.refresh_from_db()
    task_state = obj.current_workflow_task_state
    with LogContext(user=reviewer):
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    report.count(f"{kind} approved", True)


def _submit(obj, author, report, kind):
    """Save ``obj`` as ``author``'s revision and submit it to the Medical review workflow, leaving
    it with the physician."""
    workflow = obj.get_workflow()
    if author is None or workflow is None:
        report.notes.append(f"{kind}: not submitted (no demo editor, or the workflow is switched off).")
        return
    obj.save_revision(user=author)
    workflow.start(obj, author)


def load_demo_guidance(users, reviewers, report):
    """The sample services, the answers written by the editor and the crisis reply written by the
    administrator, approved by the demo physician (Japanese) and medical translator (English)."""
    from articles.models import ArticlePage

    editor, administrator = users.get("editor"), users.get("admin")
    physician = users.get("physician")
    translator = reviewers.get("en").user if reviewers.get("en") else None
    japanese = Locale.objects.get(language_code="ja")
    english = Locale.objects.filter(language_code="en").first()
    services = []
    for data in SERVICES:
        data = dict(data)
        spans, translation = data.pop("spans", []), data.pop("translation", None)
        service, created = ConsultationService.objects.get_or_create(
            name=data.pop("name"), locale=japanese, defaults=data
        )
        report.count("Consultation services", created)
        if created:
            for order, (weekday, opens, closes) in enumerate(spans):
                OpeningPeriod.objects.create(
                    service=service, sort_order=order, weekday=weekday, opens=opens, closes=closes
                )
        if translation and english:
            report.count("Consultation service translations", _translate(service, english, translation)[1])
        services.append(service)

    for data in ANSWERS:
        data = dict(data)
        translation = data.pop("translation", None)
        if "service" in data:
            data["service"] = services[data["service"]]
        if "article_slug" in data:
            data["article"] = ArticlePage.objects.filter(
                slug=data.pop("article_slug"), locale=japanese
            ).first()
        entry, created = QuestionAnswer.objects.get_or_create(
            question=data.pop("question"),
            locale=japanese,
            defaults={**data, "live": False, "has_unpublished_changes": True},
        )
        report.count("Bot answers", created)
        _review(entry, editor, physician, report, "Bot answers")
        if translation and english:
            english_service = entry.service.get_translation_or_none(english) if entry.service else None
            fields = {**translation, "service": english_service or entry.service}
            english_entry, created = _translate(entry, english, fields)
            report.count("Bot answer translations", created)
            _review(english_entry, editor, translator, report, "Bot answer translations")

    for data in PENDING_ANSWERS:
        data = dict(data)
        data["service"] = services[data["service"]]
        entry, created = QuestionAnswer.objects.get_or_create(
            question=data.pop("question"),
            locale=japanese,
            defaults={**data, "live": False, "has_unpublished_changes": True},
        )
        report.count("Bot answers awaiting review", created)
        if created:
            _submit(entry, editor, report, "Bot answers awaiting review")

    if users:
        from django.utils import timezone

        load_demo_bot_replies(timezone.localdate(), report)

    reply = CrisisReply.objects.filter(language="ja").first()
    if reply is not None and words_for_parent(reply) is None:
        reply.text = CRISIS_REPLY_JA
        reply.save()
        _review(reply, administrator, physician, report, "Crisis replies")
        if words_for_parent(reply) is not None:
            report.notes.append(
                "Crisis reply (ja) approved by the demo physician in the Medical review workflow."
            )
