"""How a change is saved: one transaction per service verb, committed in one module."""

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError

from webapp.common.audit import AuditEntry, record_audit
from webapp.extensions import db
from webapp.transactions import (
    in_transaction,
    savepoint,
    transaction,
    transactional,
    when_committed,
)


def _actions() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _count_commits():
    commits = []
    event.listen(db.session(), "after_commit", lambda session: commits.append(session))
    return commits


def test_a_verb_commits_once_when_it_returns(app_context):
    commits = _count_commits()

    @transactional
    def verb():
        assert in_transaction()
        record_audit("first")
        record_audit("second")
        return "done"

    assert verb() == "done"
    assert len(commits) == 1
    assert not in_transaction()
    assert _actions() == ["first", "second"]


def test_a_verb_that_raises_keeps_nothing(app_context):
    commits = _count_commits()

    @transactional
    def verb():
        record_audit("half-done")
        db.session.flush()
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        verb()
    assert commits == []
    assert _actions() == []


def test_a_verb_called_by_another_joins_its_transaction(app_context):
    commits = _count_commits()

    @transactional
    def inner():
        record_audit("inner")

    @transactional
    def outer():
        inner()
        record_audit("outer")
        raise ValueError("the outer verb is refused after the inner one ran")

    with pytest.raises(ValueError):
        outer()
    assert commits == []
    assert _actions() == []

    with transaction():
        inner()
        inner()
    assert len(commits) == 1
    assert _actions() == ["inner", "inner"]


def test_a_savepoint_that_fails_is_undone_alone(app_context):
    with transaction():
        record_audit("kept")
        with pytest.raises(IntegrityError), savepoint():
            record_audit("undone")
            db.session.add(AuditEntry(action=None))  # NOT NULL: the database refuses it
        record_audit("kept too")
    assert _actions() == ["kept", "kept too"]
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 2


def test_a_unit_of_work_begins_afresh_after_a_read(app_context):
    """A page reads, another worker writes meanwhile, then the page writes its audit
    entry: the unit of work is not stuck on the page's stale read (on SQLite it could
    not upgrade that snapshot to a write)."""
    assert _actions() == []  # the page's read: its transaction holds a snapshot
    with db.engine.begin() as other_worker:
        other_worker.execute(insert(AuditEntry).values(action="elsewhere"))
    with transaction():
        record_audit("here")
    assert _actions() == ["elsewhere", "here"]


def test_changes_made_before_a_unit_of_work_join_it(app_context):
    db.session.add(AuditEntry(action="pending"))
    with transaction():
        record_audit("in the verb")
    assert _actions() == ["pending", "in the verb"]


def test_what_waits_for_the_commit_follows_the_unit_of_work(app_context):
    happened = []
    with transaction():
        when_committed(lambda: happened.append("done"), otherwise=lambda: happened.append("undone"))
        with savepoint():  # a savepoint released is not the commit
            record_audit("inside")
        assert happened == []
    assert happened == ["done"]

    happened.clear()
    with pytest.raises(ValueError), transaction():
        when_committed(lambda: happened.append("done"), otherwise=lambda: happened.append("undone"))
        raise ValueError("refused")
    assert happened == ["undone"]

    happened.clear()
    when_committed(lambda: happened.append("done"), otherwise=lambda: happened.append("undone"))
    assert happened == ["done"]  # no unit of work open: it has committed
