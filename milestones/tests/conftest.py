import datetime

import pytest

from django.utils import timezone

from tests.fakes.fixtures import fcm_server, line_server  # noqa: F401


def tokyo(*args):
    return timezone.make_aware(datetime.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def physician(db):
    from articles.factories import PhysicianFactory

    return PhysicianFactory()


@pytest.fixture
def make_series(home_page, physician):
    """``make_series(messages=[{...}], health_advice=False)``: a published series."""
    from milestones.factories import build_series

    counter = {"n": 0}

    def make(messages, title=None, publish=True):
        from articles.models import ArticleApproval

        counter["n"] += 1
        series = build_series(
            home_page,
            title=title or f"【サンプル】妊娠から3歳まで {counter['n']}",
            slug=f"series-{counter['n']}",
            messages=messages,
            physician=physician,
            publish=publish,
        )
        # Reviewed for the years these tests travel through.
        ArticleApproval.objects.filter(page=series).update(next_review_due=datetime.date(2099, 1, 1))
        return series

    return make


@pytest.fixture
def follower(db):
    """``follower(uid, due_month=..., birth_month=...)``: an active LINE follower."""
    from notifications.models import LineFollower

    def make(uid, language="ja", **months):
        row = LineFollower(line_user_id=uid, language=language)
        row.set_life_stage(**months)
        row.save()
        return row

    return make


@pytest.fixture
def queued(monkeypatch):
    """The send tasks queued on commit, in order, instead of going to a broker."""
    from notifications.tasks import send_notification

    sent = []
    monkeypatch.setattr(send_notification, "delay", lambda pk, *a, **k: sent.append(pk))
    return sent
