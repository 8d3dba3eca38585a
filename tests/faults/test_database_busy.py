"""Another writer holds SQLite's write lock past the busy timeout: the hazard form,
saved outside the session, gets the clear 503 page and leaves no record and no photo."""

import pytest
from sqlalchemy import func, select

from tests.hazards.conftest import upload, valid_report_data
from tests.hazards.images import jpeg_bytes
from tests.pages import text_of
from webapp import database
from webapp.common.audit import AuditEntry
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardPhoto, HazardReport
from webapp.notifications.models import OutboxMessage


@pytest.fixture
def release_lock(app_context, monkeypatch):
    """A second connection holds the write lock until the test calls the function
    this yields; the others wait 50 ms for the lock, not 15 s."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 50)
    db.engine.dispose()  # connections made from now on get the short timeout
    holder = db.engine.raw_connection()
    holder.cursor().execute("BEGIN IMMEDIATE")

    def release():
        if holder.dbapi_connection is not None:
            holder.rollback()
            holder.close()
        monkeypatch.undo()
        db.engine.dispose()

    yield release
    release()


def _rows() -> dict[str, int]:
    db.session.rollback()
    models = (HazardReport, HazardPhoto, WorkflowEvent, AuditEntry, OutboxMessage)
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in models
    }


def test_a_report_sent_while_the_database_is_busy_gets_the_503_page_and_keeps_nothing(
    client_request, hazard_dir, release_lock
):
    page = client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(jpeg_bytes(), "路面.jpg")]},
        content_type="multipart/form-data",
        expected_status=503,
    )
    assert "服务暂时不可用" in text_of(page)
    assert "OperationalError" not in str(page) and "Traceback" not in str(page)
    assert [path for path in hazard_dir.rglob("*") if path.is_file()] == []

    release_lock()
    assert set(_rows().values()) == {0}
    client_request.post("/hazards/new", valid_report_data(), expected_status=302)
    assert _rows() == {
        "HazardReport": 1,
        "HazardPhoto": 0,
        "WorkflowEvent": 1,
        "AuditEntry": 1,
        "OutboxMessage": 1,
    }
