"""How a change is saved: one unit of work per service verb, committed here and nowhere else.

A public verb (submit a report, book a seat, change a state, a bulk action, a
staff edit, a command's batch) is decorated with `@transactional` or runs its
work in `with transaction():`. Everything it adds to the session is committed
once when it returns, and rolled back whole when it raises. A verb called from
another verb joins the caller's transaction: only the outermost one commits.

Helpers (events, audit entries, queued messages, notes, assignment, inbox
callbacks, anonymisers) only add to the session; they never commit.

`savepoint()` marks a part of a transaction that may fail on its own (one
attempt at a free reference, one row of a bulk action) and is undone alone.
`discard()` ends a transaction that only read, after a read failed.
`when_committed()` ties what is not in the database (a photo file) to the fate
of the unit of work: done once it commits, undone when it does not.

A unit of work begins its own database transaction, and begins it for
writing: a read that the request or command began before it (a page that
loads a report, then writes that an officer saw the reporter's number) is
ended first, and on SQLite the new transaction takes the write lock at once
(BEGIN IMMEDIATE, webapp/database.py), instead of failing to upgrade a
stale read snapshot to a write under concurrency.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.extensions import db

DEPTH_KEY = "portal.transaction_depth"
WROTE_KEY = "portal.transaction_wrote"  # the session's transaction has sent a change
AFTER_KEY = "portal.transaction_after"  # (done, otherwise) pairs for when it ends

_writing: ContextVar[bool] = ContextVar("portal_unit_of_work", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back if it raises.

    Inside another `transaction()` the block joins it and commits nothing.
    """
    session = db.session()
    depth = session.info.get(DEPTH_KEY, 0)
    if depth == 0:
        _end_read(session)
    session.info[DEPTH_KEY] = depth + 1
    writing = _writing.set(True)
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            try:
                session.rollback()
            finally:
                _run_after(session, committed=False)
        raise
    else:
        if depth == 0:
            _run_after(session, committed=True)
    finally:
        _writing.reset(writing)
        session.info[DEPTH_KEY] = depth


def transactional(verb: Callable[P, R]) -> Callable[P, R]:
    """Run the decorated service verb as one `transaction()`."""

    @wraps(verb)
    def run_in_transaction(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return verb(*args, **kwargs)

    return run_in_transaction


@contextmanager
def savepoint() -> Iterator[Session]:
    """A part of the current transaction that is undone alone if it raises.

    Its rows are flushed when the block ends, so that a refusal by the
    database (a unique index, a foreign key) is raised here, not at commit.
    """
    session = db.session()
    with session.begin_nested():
        yield session


def _end_read(session: Session) -> None:
    """End a transaction in which the session has only read, so that the unit of work
    begins its own. One that holds changes is left alone: they join the unit of work."""
    if not session.in_transaction() or session.info.get(WROTE_KEY):
        return
    if session.new or session.dirty or session.deleted:
        return
    session.rollback()


def is_writing() -> bool:
    """Whether the code running now is inside a unit of work (its database transaction
    begins for writing)."""
    return _writing.get()


@event.listens_for(Session, "after_flush")
def _flushed(session, _flush_context) -> None:
    session.info[WROTE_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE_KEY] = True


def when_committed(done: Callable[[], None], *, otherwise: Callable[[], None]) -> None:
    """Run `done` once the unit of work commits, or `otherwise` if it ends without
    committing; `done` at once when no unit of work is open (it has committed)."""
    if not in_transaction():
        done()
        return
    db.session().info.setdefault(AFTER_KEY, []).append((done, otherwise))


def _run_after(session: Session, *, committed: bool) -> None:
    for done, otherwise in session.info.pop(AFTER_KEY, []):
        (done if committed else otherwise)()


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction) -> None:
    if transaction.parent is None:  # the outermost: a savepoint's end keeps what came before
        session.info.pop(WROTE_KEY, None)


def in_transaction() -> bool:
    """Whether a `transaction()` is open: a helper may assert that its caller has one."""
    return db.session().info.get(DEPTH_KEY, 0) > 0


def discard() -> None:
    """Roll back a transaction that only read, after the read failed."""
    db.session.rollback()
