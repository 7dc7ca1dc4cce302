"""Factories for the scorecard (sample content, fiction)."""

import datetime
import zoneinfo

import factory
import wagtail_factories

from .models import RATING, CounsellingOutcome, SurveyField, SurveyPage, SurveyResponse

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


class SurveyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"【サンプル】利用者アンケート {n}")
    fiscal_year = 2026
    quarter = 1
    opens_at = datetime.datetime(2026, 4, 1, tzinfo=TOKYO)
    closes_at = datetime.datetime(2027, 4, 1, tzinfo=TOKYO)

    class Meta:
        model = SurveyPage


def add_standard_questions(survey):
    """Two satisfaction ratings, the image question (はい = improved) and a free-text question."""
    questions = [
        SurveyField(
            page=survey,
            sort_order=0,
            label="情報の分かりやすさ",
            field_type=RATING,
            counts_for_satisfaction=True,
        ),
        SurveyField(
            page=survey, sort_order=1, label="通知の役立ち度", field_type=RATING, counts_for_satisfaction=True
        ),
        SurveyField(
            page=survey,
            sort_order=2,
            label="子育てしやすいまちのイメージは向上しましたか",
            field_type="radio",
            choices="はい\nいいえ\nわからない",
            is_image_question=True,
            improved_answers="はい",
        ),
        SurveyField(page=survey, sort_order=3, label="ご意見", field_type="multiline", required=False),
    ]
    for question in questions:  # one by one: saving sets each question's clean name
        question.save()
    return survey


def answer(survey, ratings=(4, 4), image="はい", tokened=True, comment=""):
    fields = list(survey.form_fields.order_by("sort_order"))
    data = {fields[0].clean_name: ratings[0], fields[1].clean_name: ratings[1], fields[2].clean_name: image}
    data[fields[3].clean_name] = comment
    return SurveyResponse.objects.create(page=survey, form_data=data, tokened=tokened)


class CounsellingOutcomeFactory(factory.django.DjangoModelFactory):
    case_id = factory.Sequence(lambda n: f"CASE-{n:04d}")
    start_date = datetime.date(2026, 4, 1)
    start_score = 15
    end_date = datetime.date(2026, 9, 1)
    end_score = 8

    class Meta:
        model = CounsellingOutcome
