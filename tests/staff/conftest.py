import pytest

from tests.staff.fake_source import SOURCE
from webapp.staff.inbox import register_source, unregister_source


@pytest.fixture
def feedback_source():
    """Register the test-only inbox source for one test."""
    register_source(SOURCE)
    yield SOURCE
    unregister_source(SOURCE.type)
