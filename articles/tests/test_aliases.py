"""Aliases of gated pages follow their source's approval: an alias shows its source's live
content, so an approved publish of the source always goes live (and updates its aliases), an
unapproved one is still refused, and an alias may reach a parent exactly when its source may."""

import datetime

import pytest
import time_machine

from django.utils import timezone

from articles.clinical import skip_reason_for
from articles.factories import publish_approved
from articles.gate import UnapprovedRevisionError
from articles.models import ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def article(make_article):
    return make_article(title="【サンプル】発熱のとき", notify_subscribers=False)


def test_an_alias_of_an_approved_article_is_live_and_announceable_like_its_source(article, superuser):
    alias = article.create_alias(update_slug="fever-alias", user=superuser)

    alias = reload(alias)
    assert alias.live
    assert skip_reason_for(alias) == ""


def test_an_approved_publish_of_an_article_with_an_alias_goes_live_and_updates_the_alias(article, superuser):
    alias = article.create_alias(update_slug="fever-alias", user=superuser)

    article.title = "【サンプル】発熱のとき（訂正）"
    revision = publish_approved(article)

    assert reload(article).live_revision_id == revision.pk
    alias = reload(alias)
    assert alias.live and alias.title == "【サンプル】発熱のとき（訂正）"


def test_an_alias_of_a_draft_stays_a_draft_until_its_source_is_approved_and_published(
    make_article, superuser
):
    draft = make_article(publish=False, notify_subscribers=False)
    alias = draft.create_alias(update_slug="draft-alias", user=superuser)
    assert not reload(alias).live
    assert skip_reason_for(reload(alias)) != ""

    publish_approved(draft)

    assert reload(alias).live


def test_an_unapproved_revision_of_an_article_with_an_alias_is_still_refused(article, superuser):
    alias = article.create_alias(update_slug="fever-alias", user=superuser)
    live_revision_id = article.live_revision_id
    article.title = "【サンプル】未承認の書き換え"
    article.save()
    revision = article.save_revision()

    with pytest.raises(UnapprovedRevisionError):
        revision.publish()

    assert reload(article).live_revision_id == live_revision_id
    assert reload(alias).title == "【サンプル】発熱のとき"


def test_publishing_an_article_with_an_alias_pushes_once(make_article, superuser):
    from notifications.models import Notification

    draft = make_article(publish=False)
    draft.create_alias(update_slug="draft-alias", user=superuser)

    publish_approved(draft)

    assert [n.page_id for n in Notification.objects.all()] == [draft.pk]


def test_an_alias_follows_its_source_when_it_is_withdrawn_or_falls_overdue(article, superuser):
    alias = article.create_alias(update_slug="fever-alias", user=superuser)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        assert skip_reason_for(reload(alias)) == skip_reason_for(reload(article)) != ""
    article.unpublish()
    assert not reload(alias).live
    assert skip_reason_for(reload(alias)) != ""
