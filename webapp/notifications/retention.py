"""Data retention: features register anonymisers; `flask retention apply` runs them all.

An anonymiser is a function `anonymiser(cutoff) -> int`: it blanks the personal
data (names, ID numbers, phones, e-mail addresses, contact details in notes) of
its submissions closed before `cutoff` (a naive UTC datetime), keeps every row
and the columns the statistics need, does not commit, and returns how many rows
it changed. It must be idempotent: a second run changes nothing and returns 0.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.transactions import transaction

Anonymiser = Callable[[datetime], int]

# Filled by the packages' `register(app)` (webapp/features.py), by name, in the order
# they register: the outbox's first.
ANONYMISERS: dict[str, Anonymiser] = {}


@dataclass(frozen=True)
class Anonymised:
    name: str
    count: int


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=current_app.config["RETENTION_DAYS"])


def apply_retention(*, now: datetime | None = None) -> list[Anonymised]:
    """Run every anonymiser (the outbox's first) with the cutoff, each in its own transaction.

    An anonymiser that fails is undone whole and stops the run; those before it stay done.
    """
    cutoff = retention_cutoff(now)
    results = []
    for name, function in ANONYMISERS.items():
        with transaction():
            count = function(cutoff)
        results.append(Anonymised(name=name, count=count))
    return results


def anonymise_outbox(cutoff: datetime) -> int:
    """Blank recipient, subject, body and error of messages sent, failed or suppressed
    (held back by the per-recipient limit) before the cutoff.

    Kind, channel, language, status, the reason a message was held back, dates and the
    submission they concern stay, so that the counts of messages sent are unchanged.
    """
    done = [MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SUPPRESSED]
    return db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_(done),
            OutboxMessage.created_at < cutoff,
            OutboxMessage.anonymised_at.is_(None),
        )
        .values(
            recipient="",
            recipient_key="",
            subject="",
            body="",
            last_error="",
            anonymised_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
