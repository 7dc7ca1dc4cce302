"""Project-wide pytest set-up: service checks that skip locally and fail under CI."""

import importlib
import os
import socket
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def missing_services():
    """The services this run is configured to use that do not answer."""
    missing = []
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres") and not _reachable(database_url, 5432):
        missing.append(
            f"PostgreSQL ({urlparse(database_url).hostname}:{urlparse(database_url).port or 5432})"
        )
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url and not _reachable(redis_url, 6379):
        missing.append(f"Redis ({urlparse(redis_url).hostname}:{urlparse(redis_url).port or 6379})")
    return missing


def pytest_collection_modifyitems(config, items):
    missing = missing_services()
    if not missing:
        return
    message = "Service not reachable: " + ", ".join(missing)
    if IN_CI:
        pytest.exit(f"{message}. Under CI=true a test that needs it fails rather than skips.", returncode=1)
    for item in items:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture
def home_page(db):
    """A home page at the root of the default site, with Japanese as its locale."""
    from wagtail.models import Page, Site

    from home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="おやこハブ", slug="oyako"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def article_index(home_page):
    from articles.factories import ArticleIndexPageFactory

    return ArticleIndexPageFactory(parent=home_page)


@pytest.fixture
def make_article(article_index):
    """Create and publish an approved article: ``make_article(title=..., life_stages=[...])``."""
    from articles.factories import ArticlePageFactory, publish_approved

    def make(publish=True, **kwargs):
        page = ArticlePageFactory(parent=article_index, **kwargs)
        if publish:
            publish_approved(page)
        return page

    return make


# Transactional tests end with a flush that empties every table, taking what the data migrations
# made (root page, site, locale, life stages, groups, workflows) with it. A test that needs that
# data after such a test asks for ``migrated_data``, which makes it again.
def _run_data_migration(module, function, state_key):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(state_key)
    getattr(importlib.import_module(module), function)(state.apps, None)


@pytest.fixture
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
        "articles.migrations.0015_editors_keep_search_synonyms",
        "grant",
        ("articles", "0015_editors_keep_search_synonyms"),
    )
    # wagtail-localize lets Editors submit translations (its permission is granted by a migration).
    _run_data_migration(
        "wagtail_localize.migrations.0006_create_submit_translation_permission",
        "create_submit_translation_permission",
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    )
    _run_data_migration(
        "campaigns.migrations.0002_campaign_approval_workflow",
        "create_workflow",
        ("campaigns", "0002_campaign_approval_workflow"),
    )
    # The workflow and task names in Japanese, as the admin shows them.
    _run_data_migration(
        "articles.migrations.0013_workflow_names_in_japanese",
        "to_japanese",
        ("articles", "0013_workflow_names_in_japanese"),
    )
    _run_data_migration(
        "campaigns.migrations.0007_workflow_names_in_japanese",
        "to_japanese",
        ("campaigns", "0007_workflow_names_in_japanese"),
    )
    _run_data_migration(
        "outcomes.migrations.0002_outcome_data_group_and_services",
        "create_group_and_services",
        ("outcomes", "0002_outcome_data_group_and_services"),
    )
    _run_data_migration(
        "outcomes.migrations.0004_survey_invitations_and_kpi_permissions",
        "grant",
        ("outcomes", "0004_survey_invitations_and_kpi_permissions"),
    )
    # The crisis list (Japanese, then the other languages) and the crisis replies awaiting review,
    # with today's models (the replies' approval fields of 0002 are gone).
    _run_data_migration(
        "guidance.migrations.0002_crisis_list_and_editor_permissions",
        "seed",
        ("guidance", "0005_crisis_expressions_in_other_languages"),
    )
    _run_data_migration(
        "guidance.migrations.0005_crisis_expressions_in_other_languages",
        "seed",
        ("guidance", "0005_crisis_expressions_in_other_languages"),
    )
    # The self-check's default score bands and who may do what with it.
    _run_data_migration(
        "screening.migrations.0002_default_bands_and_permissions",
        "seed",
        ("screening", "0002_default_bands_and_permissions"),
    )
    # The consultation supervisors' group and the city's closing topic codes.
    _run_data_migration(
        "consultations.migrations.0002_supervisors_and_codes",
        "create",
        ("consultations", "0002_supervisors_and_codes"),
    )


@pytest.fixture(autouse=True)
def _no_cache_between_tests():
    """No test sees a page (or a rate-limit count) cached by another: the test cache is local memory."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def latest_schema_afterwards():
    """For a test that migrates back and forth: whatever it migrated to, the tests after it find
    today's schema (a later migration may remove a column an intermediate state still has)."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
