"""Sample scorecard data for the demo site: a survey per quarter so far this fiscal year with
sample answers, monthly usage reports and counselling outcomes (all fiction, marked as samples)."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from notifications.kpi import fiscal_year_of, quarter_bounds

from .factories import add_standard_questions
from .kpi import fiscal_months
from .models import CounsellingOutcome, Service, ServiceUsage, SurveyPage, SurveyResponse

OUTCOME_GROUP = "Outcome data"
SAMPLE_ANSWERS = [
    (5, 4, "はい", "【サンプル】夜中の授乳のときに記事を読めて助かりました。"),
    (4, 4, "はい", ""),
    (4, 5, "はい", "【サンプル】予防接種の通知が便利です。"),
    (3, 4, "わからない", ""),
    (5, 5, "はい", ""),
    (4, 3, "はい", "【サンプル】相談窓口の時間がもう少し長いとうれしいです。"),
    (2, 3, "いいえ", ""),
    (4, 4, "はい", ""),
]
SAMPLE_USES = [9, 11, 8, 13, 10, 12, 7, 9, 14, 11, 10, 12]


def quarter_of(month):
    return (month - 4) % 12 // 3 + 1


def load_demo_outcomes(home, users, today, report):
    """Idempotent: each row is found by its natural key and created only when missing."""
    fiscal_year = fiscal_year_of(today)
    for quarter in range(1, quarter_of(today.month) + 1):
        _load_survey(home, users.get("editor"), fiscal_year, quarter, report)
    _load_usage(fiscal_year, today, report)
    _load_outcomes(fiscal_year, today, report)
    admin = users.get("admin")
    if admin is not None:
        # The demo administrator may read and import PHQ-9 records.
        admin.groups.add(Group.objects.get(name=OUTCOME_GROUP))


def _load_survey(home, user, fiscal_year, quarter, report):
    slug = f"survey-{fiscal_year}-q{quarter}"
    survey = SurveyPage.objects.filter(slug=slug).first()
    report.count("Surveys", survey is None)
    if survey is None:
        opens_at, closes_at = quarter_bounds(fiscal_year, quarter)
        survey = SurveyPage(
            title=f"【サンプル】利用者アンケート {fiscal_year}年度 第{quarter}四半期",
            slug=slug,
            intro="<p>【サンプル】おやこハブをより良くするためのデモ用アンケートです。</p>",
            thank_you_text="<p>【サンプル】ご回答ありがとうございました。</p>",
            fiscal_year=fiscal_year,
            quarter=quarter,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        home.add_child(instance=survey)
        add_standard_questions(survey)
        survey.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    if SurveyResponse.objects.filter(page=survey).exists():
        return
    fields = [f.clean_name for f in survey.form_fields.order_by("sort_order")]
    now = timezone.now()
    for index, (first, second, image, comment) in enumerate(SAMPLE_ANSWERS):
        # Rotate the answers a little per quarter so the trend has a shape.
        first = max(1, min(5, first + (quarter + index) % 3 - 1))
        data = dict(zip(fields, (first, second, image, comment), strict=True))
        answer = SurveyResponse.objects.create(
            page=survey, form_data=data, tokened=index % 4 != 0, is_sample=True
        )
        # Answered a day apart from the round's opening (never later than now), so that the KPIs as
        # of a past quarter's end (the quarterly report's "last quarter") find that round's answers.
        answered_at = min(survey.opens_at + datetime.timedelta(days=1 + index), now)
        SurveyResponse.objects.filter(pk=answer.pk).update(submit_time=answered_at)
        report.created["Sample survey answers"] += 1


def _load_usage(fiscal_year, today, report):
    services = list(Service.objects.order_by("code"))
    for index, month in enumerate(fiscal_months(fiscal_year)):
        if month > today:
            break
        for offset, service in enumerate(services):
            _row, created = ServiceUsage.objects.get_or_create(
                month=month,
                service=service,
                defaults={"uses": SAMPLE_USES[(index + offset) % 12] - 3 * offset},
            )
            report.count("Sample service usage rows", created)


def _load_outcomes(fiscal_year, today, report):
    months = [m for m in fiscal_months(fiscal_year) if m <= today]
    for number in range(1, 15):
        end = months[number % len(months)] + datetime.timedelta(days=number % 20)
        end = min(end, today)
        start = end - datetime.timedelta(days=60 + number)
        _row, created = CounsellingOutcome.objects.get_or_create(
            case_id=f"SAMPLE-{fiscal_year}-{number:03d}",
            defaults={
                "start_date": start,
                "start_score": 8 + number % 12,
                "end_date": end,
                "end_score": max(0, 8 + number % 12 - 4 - number % 5),
            },
        )
        report.count("Sample counselling outcomes", created)
