"""Browser tests are transactional: each one ends with a flush that empties every table, taking
what the data migrations made (root page, site, locale, life stages, groups, workflows) with it.
Each browser test therefore starts by making that data again, whatever ran before it."""

import importlib

import pytest


def _run_data_migration(module, function, state_key):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(state_key)
    getattr(importlib.import_module(module), function)(state.apps, None)


@pytest.fixture(autouse=True)
def migrated_data(transactional_db):
    """What migrations create, made again if an earlier transactional test flushed it away.

    (A serialized rollback would clash with the content types that the flush recreates.)
    """
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        Locale,
        Page,
        Site,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from articles.models import LifeStage

    Locale.objects.get_or_create(language_code="ja")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    if not WorkflowPage.objects.filter(page=root).exists():
        # Wagtail's own default: moderators approve everything under the root page.
        moderators, _ = Group.objects.get_or_create(name="Moderators")
        task, _ = GroupApprovalTask.objects.get_or_create(name="Moderators approval")
        task.groups.add(moderators)
        workflow, _ = Workflow.objects.get_or_create(name="Moderators approval")
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        WorkflowPage.objects.create(page=root, workflow=workflow)
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    if not LifeStage.objects.exists():
        _run_data_migration(
            "articles.migrations.0002_life_stages", "create_life_stages", ("articles", "0002_life_stages")
        )
    _run_data_migration(
        "articles.migrations.0005_review_groups_and_workflow",
        "create_groups_and_workflow",
        ("articles", "0005_review_groups_and_workflow"),
    )
    _run_data_migration(
        "campaigns.migrations.0002_campaign_approval_workflow",
        "create_workflow",
        ("campaigns", "0002_campaign_approval_workflow"),
    )
