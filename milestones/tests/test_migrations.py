"""Timed messages saved before they were translatable each get their own translation key and their
series' locale, so that a translation's copy can be told apart and matched up."""

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.factories import localize
from milestones.enums import Moment
from milestones.models import TimedMessage

BEFORE = [("milestones", "0002_timedmessage_translation_fields")]
AFTER = [("milestones", "0004_timedmessage_translatable")]

pytestmark = [
    pytest.mark.portable,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("latest_schema_afterwards"),
]


def test_existing_messages_get_their_own_key_and_their_series_locale(
    migrated_data, make_series, make_article
):
    article = make_article()
    series = make_series(
        [
            {"text": "3か月", "target": article, "moment": Moment.AGE, "months": 3},
            {"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5},
        ]
    )
    translated = localize(series, "en", {})
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_model = executor.loader.project_state(BEFORE).apps.get_model("milestones", "TimedMessage")
    old_model.objects.update(translation_key=None, locale=None)  # as the rows were before

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    rows = list(TimedMessage.objects.values_list("page_id", "text", "translation_key", "locale_id"))
    assert sorted((page, text) for page, text, _key, _locale in rows) == [
        (series.pk, "3か月"),
        (series.pk, "5か月"),
        (translated.pk, "3か月"),
        (translated.pk, "5か月"),
    ]
    # A translation's copy shares its source row's key, so its translated words stay matched.
    keys = {(page, text): key for page, text, key, _locale in rows}
    assert len(set(keys.values())) == 2
    assert {text: key for (page, text), key in keys.items() if page == translated.pk} == {
        text: key for (page, text), key in keys.items() if page != translated.pk
    }
    locales = {series.pk: series.locale_id, translated.pk: translated.locale_id}
    assert all(locale == locales[page] for page, _text, _key, locale in rows)
