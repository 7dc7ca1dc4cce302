"""Planned pushes saved before they were translatable each get their own translation key and their
campaign's locale, so that a translation's copy can be told apart and matched up."""

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.factories import localize
from campaigns.models import PlannedPush

from .conftest import tokyo

BEFORE = [("campaigns", "0003_plannedpush_translation_fields")]
AFTER = [("campaigns", "0005_plannedpush_translatable")]

pytestmark = [
    pytest.mark.portable,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("latest_schema_afterwards"),
]


def test_existing_plan_items_get_their_own_key_and_their_campaigns_locale(migrated_data, make_campaign):
    campaign = make_campaign(
        pushes=[
            {"send_at": tokyo(2027, 5, 4, 19), "text": "一"},
            {"send_at": tokyo(2027, 5, 7, 19), "text": "二"},
        ]
    )
    translated = localize(campaign, "en", {})
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_model = executor.loader.project_state(BEFORE).apps.get_model("campaigns", "PlannedPush")
    old_model.objects.update(translation_key=None, locale=None)  # as the rows were before

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    rows = list(PlannedPush.objects.values_list("page_id", "text", "translation_key", "locale_id"))
    assert sorted((page, text) for page, text, _key, _locale in rows) == [
        (campaign.pk, "一"),
        (campaign.pk, "二"),
        (translated.pk, "一"),
        (translated.pk, "二"),
    ]
    # A translation's copy shares its source row's key, so its translated words stay matched.
    keys = {(page, text): key for page, text, key, _locale in rows}
    assert len(set(keys.values())) == 2
    assert {text: key for (page, text), key in keys.items() if page == translated.pk} == {
        text: key for (page, text), key in keys.items() if page != translated.pk
    }
    locales = {campaign.pk: campaign.locale_id, translated.pk: translated.locale_id}
    assert all(locale == locales[page] for page, _text, _key, locale in rows)
