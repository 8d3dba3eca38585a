"""Saving a submission under a reference that no other submission has.

References (H20260315-7KQ2XM) end in a random part, so two can clash, about
once in 10⁹ draws on the same day. The reference column's unique index is the
only check: nothing is looked up before the insert, and an attempt that the
index refuses is undone alone (a savepoint) and made again with a new reference.
"""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.common.clock import local_today
from webapp.common.identifiers import make_reference
from webapp.extensions import db
from webapp.transactions import savepoint

ATTEMPTS = 5
Saved = TypeVar("Saved")


class NoFreeReference(RuntimeError):
    """Every reference drawn was taken: the random part is broken, not unlucky."""


def add_with_new_reference(
    build: Callable[[str], Saved], *, prefix: str, model, day: date | None = None
) -> Saved:
    """Return `build(reference)`, which adds rows to the session, with a freshly drawn reference.

    Each attempt is a savepoint of the caller's transaction, flushed at its
    end. When the database refuses it and the reference is now taken, it is
    undone and made again with another one; any other refusal (a one-time
    token, an active booking) is raised for the caller, with that attempt undone.
    """
    day = day or local_today()
    for _attempt in range(ATTEMPTS):
        reference = make_reference(prefix, day)
        try:
            with savepoint():
                return build(reference)
        except IntegrityError:
            if not _taken(model, reference):
                raise
    raise NoFreeReference(f"{ATTEMPTS} {prefix} references drawn, every one taken")


def _taken(model, reference: str) -> bool:
    return db.session.scalar(select(model.id).where(model.reference == reference)) is not None
