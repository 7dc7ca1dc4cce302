"""Browser tests are transactional and need what the data migrations made: see the root
conftest's ``migrated_data``."""

import pytest


@pytest.fixture(autouse=True)
def _browser_migrated_data(migrated_data):
    return migrated_data
