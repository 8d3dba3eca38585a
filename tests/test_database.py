"""The fast write path (`write_transaction`): rows as a flush would write them, one
transaction, SQLAlchemy's errors, and the session's transaction joined when it has one."""

from datetime import datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from tests.factories import create_user
from webapp import database
from webapp.common.audit import AuditEntry
from webapp.database import prepared_insert, rows_committed, write_transaction
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.notifications.models import OutboxMessage

WHEN = datetime(2026, 3, 15, 8, 30, 5, 120)  # microseconds kept, as the ORM keeps them


def report_values(reference="H20260315-7KQ2XM", **values) -> dict:
    return {
        "reference": reference,
        "category": "guardrail",
        "location": "北大街邮局门前",
        "description": "护栏被车撞断，断口朝向人行道。",
        "latitude": 37.86,
        "longitude": 113.58,
        "state": "submitted",
        "created_at": WHEN,
        "state_changed_at": WHEN,
        "location_from_photo": True,
        **values,
    }


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def commits():
    """The engines `write_transaction` reported a commit of its own for (the page cache's cue)."""
    engines = []

    def record(engine):
        engines.append(engine)

    rows_committed.connect(record)
    yield engines
    rows_committed.disconnect(record)


def test_rows_written_directly_read_back_as_the_orm_would_have_written_them(app_context, commits):
    assert not db.session().in_transaction()
    with write_transaction() as rows:
        report_id = rows.insert(HazardReport, report_values())
        rows.insert(AuditEntry, {"action": "hazard.submit", "target": "H20260315-7KQ2XM"})
        rows.insert(
            OutboxMessage,
            {
                "channel": "sms",
                "recipient": "13800138000",
                "language": "zh",
                "subject_type": "hazard",
                "subject_id": report_id,
                "kind": "hazard_received",
            },
        )
    assert commits == [db.engine]  # a connection of its own, and the page cache was told

    db.session.rollback()
    report = db.session.get(HazardReport, report_id)
    assert (report.reference, report.location, report.latitude) == (
        "H20260315-7KQ2XM",
        "北大街邮局门前",
        37.86,
    )
    assert report.created_at == WHEN and report.location_from_photo is True
    # Columns left out get their Python defaults, as in a flush.
    assert (report.is_private, report.confirmations, report.reporter_phone) == (False, 0, "")
    assert report.submission_token is None
    audit = db.session.scalar(select(AuditEntry))
    assert abs((datetime.utcnow() - audit.created_at).total_seconds()) < 60  # noqa: DTZ003
    message = db.session.scalar(select(OutboxMessage))
    assert (message.status, message.attempts, message.subject_id) == ("pending", 0, report_id)
    assert message.due_at is not None


def test_ids_are_those_of_the_rows_just_written(app_context):
    with write_transaction() as rows:
        first = rows.insert(HazardReport, report_values("H20260315-AAAAAA"))
        second = rows.insert(HazardReport, report_values("H20260315-BBBBBB"))
    db.session.rollback()
    assert db.session.get(HazardReport, first).reference == "H20260315-AAAAAA"
    assert db.session.get(HazardReport, second).reference == "H20260315-BBBBBB"


@pytest.mark.parametrize("in_session", [False, True], ids=["own connection", "session's"])
def test_a_row_the_database_refuses_raises_integrity_error_and_nothing_is_kept(
    app_context, in_session
):
    with write_transaction() as rows:
        rows.insert(HazardReport, report_values("H20260315-TAKEN1"))
    if in_session:
        db.session.scalar(select(HazardReport.id))  # the session is now in a transaction
    with pytest.raises(IntegrityError), write_transaction() as rows:
        rows.insert(HazardReport, report_values("H20260315-NEWONE"))
        rows.insert(HazardReport, report_values("H20260315-TAKEN1"))
    assert count(HazardReport) == 1


def test_an_error_in_the_block_rolls_back_what_it_wrote(app_context):
    with pytest.raises(ZeroDivisionError), write_transaction() as rows:
        rows.insert(HazardReport, report_values())
        1 / 0  # noqa: B018
    assert count(HazardReport) == 0


def test_an_unknown_column_is_refused_before_anything_is_written(app_context):
    with pytest.raises(KeyError, match="colour"), write_transaction() as rows:
        rows.insert(HazardReport, report_values(colour="red"))
    assert count(HazardReport) == 0


def test_in_a_session_transaction_the_rows_are_committed_with_the_sessions_changes(
    app_context, commits
):
    user = create_user(username="wang")
    user.display_name = "王警官"  # a change the session has not written yet
    assert db.session().in_transaction()
    with write_transaction() as rows:
        rows.insert(AuditEntry, {"action": "test.write", "actor_id": user.id})
    assert commits == []  # the session committed; engine events tell the page cache
    db.session.rollback()
    assert db.session.get(type(user), user.id).display_name == "王警官"
    assert db.session.scalar(select(AuditEntry.action)) == "test.write"


def test_in_a_session_transaction_a_refusal_rolls_back_the_sessions_changes_too(app_context):
    user = create_user(username="li", display_name="李")
    with write_transaction() as rows:
        rows.insert(HazardReport, report_values("H20260315-TAKEN1"))
    user = db.session.get(type(user), user.id)
    user.display_name = "李警官"
    with pytest.raises(IntegrityError), write_transaction() as rows:
        rows.insert(AuditEntry, {"action": "test.write"})
        rows.insert(HazardReport, report_values("H20260315-TAKEN1"))
    db.session.rollback()
    assert db.session.get(type(user), user.id).display_name == "李"
    assert count(AuditEntry) == 0


def test_a_busy_sqlite_database_raises_operational_error_and_keeps_nothing(
    app, app_context, monkeypatch
):
    """Another writer holds SQLite's write lock past the busy timeout: the write is
    refused at its BEGIN (the errors handler answers it with the 503 page)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows, not the database")
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 50)
    db.engine.dispose()  # new connections, with the short timeout
    other = db.engine.raw_connection()
    try:
        other.cursor().execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"), write_transaction() as rows:
            rows.insert(HazardReport, report_values())
    finally:
        other.rollback()
        other.close()
        db.engine.dispose()
    monkeypatch.undo()
    assert count(HazardReport) == 0


def test_a_column_whose_default_is_sql_is_refused_when_left_out(app_context):
    """Such a default is the database's to compute: this path only fills in Python ones."""
    table = Table(
        "t",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", DateTime, default=func.now()),
    )
    with pytest.raises(TypeError, match="only plain and callable defaults"):
        prepared_insert(db.engine.dialect, table, frozenset())
    assert prepared_insert(db.engine.dialect, table, frozenset({"at"})).keys == ("at",)
