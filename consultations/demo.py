"""Demo consultations, as "a city after a real month": the services' desks and staff groups, a demo
staff member in the medical consultation's group, the city's closing topic codes, a dozen closed
conversations in the past month with ratings and topics, and one family waiting now.

Every text is fiction marked 【サンプル】. Idempotent: rows are found by natural keys (each demo
conversation by the marker on its first message) and nothing is created twice.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from guidance.models import ConsultationService

from .models import (
    Channel,
    CloseCode,
    ClosedBy,
    Conversation,
    Desk,
    DeskTopic,
    FamilyTopic,
    Message,
    Sender,
    StaffMember,
    Status,
)

SAMPLE = "【サンプル】"
CLOSE_CODES = [  # as the migration makes them; found again, never duplicated
    ("fever", "発熱・感染症", 10),
    ("feeding", "授乳・ミルク・離乳食", 20),
    ("skin", "皮膚・発疹", 30),
    ("pregnancy", "妊娠中の体調", 40),
    ("mood", "気分の落ち込み・不安", 50),
    ("family", "家族関係・育児負担", 60),
    ("other", "その他", 90),
]
DESKS = [
    # (a word in the service's name, staff group, report code, topics, first-answer minutes)
    (
        "オンライン医療相談",
        "相談スタッフ：オンライン医療相談",
        "consultation",
        [FamilyTopic.CHILD, FamilyTopic.PREGNANCY],
        30,
    ),
    ("カウンセリング", "相談スタッフ：産後カウンセリング", "counselling", [FamilyTopic.FEELINGS], 60),
]
# (days ago, topic, close code, minutes to first answer, rating, channel)
CLOSED = [
    (3, FamilyTopic.CHILD, "fever", 6, 5, Channel.LINE),
    (4, FamilyTopic.CHILD, "skin", 12, 4, Channel.LINE),
    (6, FamilyTopic.PREGNANCY, "pregnancy", 9, 5, Channel.WEB),
    (8, FamilyTopic.CHILD, "feeding", 18, 4, Channel.LINE),
    (10, FamilyTopic.CHILD, "fever", 4, 5, Channel.LINE),
    (12, FamilyTopic.FEELINGS, "mood", 25, 5, Channel.LINE),
    (14, FamilyTopic.CHILD, "feeding", 7, 3, Channel.WEB),
    (17, FamilyTopic.PREGNANCY, "pregnancy", 15, 4, Channel.LINE),
    (19, FamilyTopic.CHILD, "other", 11, None, Channel.LINE),
    (22, FamilyTopic.FEELINGS, "family", 32, 4, Channel.LINE),
    (25, FamilyTopic.CHILD, "fever", 5, 5, Channel.LINE),
    (27, FamilyTopic.CHILD, "skin", 20, 4, Channel.WEB),
]
QUESTIONS = {
    FamilyTopic.CHILD: "子どもが昨夜から38度の熱です。様子を見てよいでしょうか。",
    FamilyTopic.PREGNANCY: "妊娠30週です。足のむくみが気になります。",
    FamilyTopic.FEELINGS: "産後、涙が出る日が続いています。",
}
ANSWER = "ご相談ありがとうございます。いくつか教えてください。（架空のやりとりです）"


def load_demo_consultations(context):
    report = context.report
    for code, name, order in CLOSE_CODES:
        _row, created = CloseCode.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        report.count("Closing topic codes", created)
    desks = {}
    for word, group_name, report_code, topics, minutes in DESKS:
        service = ConsultationService.objects.filter(name__contains=word, locale__language_code="ja").first()
        if service is None:
            continue
        group, _created = Group.objects.get_or_create(name=group_name)
        _access_admin(group)
        if service.staff_group_id != group.pk or service.report_code != report_code:
            service.staff_group, service.report_code = group, report_code
            service.save(update_fields=["staff_group", "report_code"])
        desk, created = Desk.objects.get_or_create(
            service=service, defaults={"first_answer_minutes": minutes}
        )
        report.count("Consultation desks", created)
        for topic in topics:
            DeskTopic.objects.get_or_create(topic=topic, defaults={"desk": desk})
        desks[word] = desk
    medical = desks.get("オンライン医療相談")
    if medical is None:
        report.notes.append("Demo consultations skipped: the sample services are missing.")
        return
    staff = _staff_user(context, medical.service.staff_group)
    now = datetime.datetime.combine(
        context.today, datetime.time(12), tzinfo=datetime.UTC
    ) - datetime.timedelta(hours=3)
    codes = {code.code: code for code in CloseCode.objects.all()}
    for number, (days_ago, topic, code, minutes, rating, channel) in enumerate(CLOSED, start=1):
        desk = desks.get("カウンセリング") if topic == FamilyTopic.FEELINGS else medical
        if desk is None:
            continue
        opened = now - datetime.timedelta(days=days_ago, hours=number % 5)
        marker = f"{SAMPLE}#{number} "
        if Message.objects.filter(text__startswith=marker).exists():
            report.count("Demo conversations", False)
            continue
        conversation = Conversation.objects.create(
            service=desk.service,
            topic=topic,
            channel=channel,
            language="ja",
            status=Status.CLOSED,
            assignee=staff if desk is medical else None,
            opened_at=opened,
            first_answer_at=opened + datetime.timedelta(minutes=minutes),
            closed_at=opened + datetime.timedelta(minutes=minutes + 25),
            closed_by=ClosedBy.STAFF,
            close_code=codes[code],
            rating=rating,
            family_messages=1,
            staff_messages=1,
            handovers=1 if number == 6 else 0,
        )
        Message.objects.create(
            conversation=conversation, sender=Sender.FAMILY, text=marker + QUESTIONS[topic], created_at=opened
        )
        Message.objects.create(
            conversation=conversation,
            sender=Sender.STAFF,
            author=staff if desk is medical else None,
            text=SAMPLE + ANSWER,
            created_at=opened + datetime.timedelta(minutes=minutes),
        )
        report.count("Demo conversations", True)
    marker = f"{SAMPLE}#waiting "
    if not Message.objects.filter(text__startswith=marker).exists():
        opened = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=12)
        waiting = Conversation.objects.create(
            service=medical.service,
            topic=FamilyTopic.CHILD,
            channel=Channel.WEB,
            language="ja",
            opened_at=opened,
        )
        Message.objects.create(
            conversation=waiting,
            sender=Sender.FAMILY,
            text=marker + "生後4か月の子の便が緑色です。大丈夫でしょうか。",
            created_at=opened,
        )
        Conversation.objects.filter(pk=waiting.pk).update(family_messages=1)
        report.count("Demo conversations", True)
    else:
        report.count("Demo conversations", False)


def _access_admin(group):
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if permission:
        group.permissions.add(permission)


def _staff_user(context, group):
    """The demo midwife on the medical consultation's staff, with the demo users' password."""
    editor = context.users.get("editor")
    if editor is None:
        context.report.notes.append("Demo consultation staff skipped: demo users are off.")
        return None
    user, created = get_user_model().objects.get_or_create(
        username="sample-midwife",
        defaults={
            "first_name": "はな",
            "last_name": "助産",
            "email": "midwife@example.jp",
            "is_active": True,
        },
    )
    user.password = editor.password  # the same demo password as every demo user
    user.save(update_fields=["password"])
    user.groups.add(group)
    StaffMember.objects.get_or_create(user=user, defaults={"on_duty": True})
    context.report.count("Consultation staff", created)
    context.report.users.append(("sample-midwife", group.name))
    return user
