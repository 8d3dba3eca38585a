"""Saving a submission under a reference that no other submission has.

References (H20260315-7KQ2XM) end in a random part, so two can clash, about
once in 10⁹ draws on the same day. The reference column's unique index is the
only check: nothing is looked up before the insert, and a save that the index
refuses is made again, whole, with a new reference.
"""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.common.clock import local_today
from webapp.common.identifiers import make_reference
from webapp.extensions import db

ATTEMPTS = 5
Saved = TypeVar("Saved")


class NoFreeReference(RuntimeError):
    """Every reference drawn was taken: the random part is broken, not unlucky."""


def save_with_new_reference(
    save: Callable[[str], Saved], *, prefix: str, model, day: date | None = None
) -> Saved:
    """Return `save(reference)`, which writes and commits, with a freshly drawn reference.

    When `save` raises IntegrityError the transaction is rolled back. If the
    reference it was given is now taken, `save` runs again with another one;
    any other refusal (a one-time token, an active booking) is raised for the
    caller, with nothing written.
    """
    day = day or local_today()
    for _attempt in range(ATTEMPTS):
        reference = make_reference(prefix, day)
        try:
            return save(reference)
        except IntegrityError:
            db.session.rollback()
            if not _taken(model, reference):
                raise
    raise NoFreeReference(f"{ATTEMPTS} {prefix} references drawn, every one taken")


def _taken(model, reference: str) -> bool:
    return db.session.scalar(select(model.id).where(model.reference == reference)) is not None
