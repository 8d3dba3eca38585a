from pathlib import Path

import pytest

from webapp.common.clock import local_today
from webapp.education.loader import load_library
from webapp.education.services import EXTENSION

FIXTURE_CONTENT = Path(__file__).parent / "content"


@pytest.fixture(scope="session")
def fixture_library():
    return load_library(FIXTURE_CONTENT, today=local_today())


@pytest.fixture(autouse=True)
def fixture_content(app, fixture_library, monkeypatch):
    """These tests read the small content folder beside them, not the site's own."""
    monkeypatch.setitem(app.extensions, EXTENSION, fixture_library)
    return fixture_library


@pytest.fixture
def use_content(app, monkeypatch):
    """Serve the content folder at `path` for the rest of the test."""

    def use(path: Path):
        library = load_library(path, today=local_today())
        monkeypatch.setitem(app.extensions, EXTENSION, library)
        return library

    return use
