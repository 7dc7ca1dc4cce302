"""Factories for services, their hours and the bot's answers."""

import datetime

import factory

from wagtail.log_actions import LogContext

from .models import ConsultationService, OpeningPeriod, QuestionAnswer


class ConsultationServiceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"【サンプル】相談窓口 {n}")
    audience = "妊娠中の方と、6歳までのお子さんの保護者"
    helps_with = "【サンプル】子育ての心配ごと"
    cost = "無料"
    web_url = "https://example.jp/sample-consultation"

    class Meta:
        model = ConsultationService


class OpeningPeriodFactory(factory.django.DjangoModelFactory):
    service = factory.SubFactory(ConsultationServiceFactory)
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(17)

    class Meta:
        model = OpeningPeriod


def weekday_service(opens=datetime.time(9), closes=datetime.time(17), days=range(5), **fields):
    """A service open ``opens``–``closes`` on ``days`` (Monday=0)."""
    service = ConsultationServiceFactory(**fields)
    for day in days:
        OpeningPeriodFactory(service=service, weekday=day, opens=opens, closes=closes)
    return service


class QuestionAnswerFactory(factory.django.DjangoModelFactory):
    question = factory.Sequence(lambda n: f"【サンプル】質問 {n}")
    phrasings = ""
    answer = "【サンプル】回答です。"

    class Meta:
        model = QuestionAnswer


def submit(obj, author):
    """Save ``obj`` as ``author``'s new revision and submit it to its review workflow, as the editor's
    "Submit to Medical review" does. Returns the task state waiting for a reviewer."""
    obj.save_revision(user=author)
    obj.get_workflow().start(obj, author)
    obj.refresh_from_db()
    return obj.current_workflow_task_state


def review(obj, author, reviewer, action="approve", comment=""):
    """Submit ``obj`` as ``author``, then ``reviewer`` takes ``action`` in the Physician review task
    (what the admin's workflow action does, in the reviewer's log context)."""
    task_state = submit(obj, author)
    with LogContext(user=reviewer):
        task_state.task.specific.on_action(task_state, reviewer, action, comment=comment)
    obj.refresh_from_db()
    return task_state
