import pytest

from tests.staff.fake_source import SOURCE
from webapp.staff import inbox
from webapp.staff.inbox import register_source, unregister_source


@pytest.fixture(autouse=True)
def _only_the_sources_a_test_registers(monkeypatch):
    """The back office's own tests see no feature's source, only the ones they register."""
    monkeypatch.setattr(inbox, "_SOURCES", {})


@pytest.fixture
def feedback_source():
    """Register the test-only inbox source for one test."""
    register_source(SOURCE)
    yield SOURCE
    unregister_source(SOURCE.type)
