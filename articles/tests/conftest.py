"""Review fixtures: the three roles as the migration sets them up, and an article under review."""

import pytest

from django.contrib.auth.models import Group


@pytest.fixture
def editor(django_user_model, db):
    user = django_user_model.objects.create_user("sample-editor", "editor@example.jp", "sample-password")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def physician(django_user_model, db):
    from articles.factories import PhysicianFactory

    user = django_user_model.objects.create_user(
        "sample-physician", "physician@example.jp", "sample-password"
    )
    user.groups.add(Group.objects.get(name="Physicians"))
    return PhysicianFactory(user=user, name="サンプル 医師")


@pytest.fixture
def other_physician(django_user_model, db):
    from articles.factories import PhysicianFactory

    user = django_user_model.objects.create_user("sample-other", "other@example.jp", "sample-password")
    user.groups.add(Group.objects.get(name="Physicians"))
    return PhysicianFactory(user=user, name="サンプル 別の医師")


@pytest.fixture
def superuser(django_user_model, db):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")


@pytest.fixture
def draft(article_index, physician, editor):
    """An unpublished article by the editor, supervised by ``physician``, with one revision."""
    from articles.factories import ArticlePageFactory

    page = ArticlePageFactory(parent=article_index, physician=physician, owner=editor)
    page.save_revision(user=editor)
    page.refresh_from_db()
    return page


@pytest.fixture
def submitted(draft, editor):
    """``draft`` submitted to its workflow by the editor: returns (page, task_state)."""
    workflow = draft.get_workflow()
    workflow.start(draft, editor)
    draft.refresh_from_db()
    return draft, draft.current_workflow_task_state
