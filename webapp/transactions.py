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
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from webapp.extensions import db

DEPTH_KEY = "portal.transaction_depth"

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back if it raises.

    Inside another `transaction()` the block joins it and commits nothing.
    """
    session = db.session()
    depth = session.info.get(DEPTH_KEY, 0)
    session.info[DEPTH_KEY] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
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


def in_transaction() -> bool:
    """Whether a `transaction()` is open: a helper may assert that its caller has one."""
    return db.session().info.get(DEPTH_KEY, 0) > 0


def discard() -> None:
    """Roll back a transaction that only read, after the read failed."""
    db.session.rollback()
