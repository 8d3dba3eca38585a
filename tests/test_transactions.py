"""How a change is saved: one transaction per service verb, committed in one module."""

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from webapp.common.audit import AuditEntry, record_audit
from webapp.extensions import db
from webapp.transactions import in_transaction, savepoint, transaction, transactional


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
