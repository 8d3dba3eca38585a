"""Send what the outbox holds: claim one row at a time, send it, record the outcome.

A claim is a guarded UPDATE (`status='pending'` in the WHERE, rowcount checked),
so two workers never send the same message, on SQLite and PostgreSQL alike, on
one host or several (tests/notifications/test_two_hosts.py: two processes, 200
messages, each sent once). A
claim older than OUTBOX_CLAIM_TIMEOUT_SECONDS belongs to a worker that was
killed mid-send: it is released, so nothing is lost. Each row is claimed just
before it is sent, so a live worker's claim never lasts longer than one send.

Each step is its own small transaction: releasing abandoned claims, reading the
due messages, one claim, one outcome. A claim is committed before its message
is sent, so no lock (SQLite's write lock) is held while sending.
"""

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.notifications.channels import Envelope, Sender, SendFailed, sender_for
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.transactions import transaction, transactional

logger = logging.getLogger(__name__)

CLAIM_WINDOW = 20  # candidates read at once; another worker may take some of them first
MAX_RETRY_DELAY = timedelta(hours=6)
ABANDONED = "claim abandoned by a worker that stopped"


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0

    def __str__(self) -> str:
        return (
            f"sent: {self.sent}, to retry: {self.retrying}, failed: {self.failed}, "
            f"abandoned claims released: {self.released}"
        )


@dataclass(frozen=True)
class Claim:
    message_id: int
    attempts: int
    envelope: Envelope


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: the base delay, doubled after each failed attempt."""
    base = timedelta(seconds=current_app.config["OUTBOX_RETRY_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


@transactional
def release_abandoned_claims(*, now: datetime) -> int:
    """Make claims older than the timeout claimable again (or failed, if out of attempts)."""
    cutoff = now - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    stale = (OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_at < cutoff)
    released = db.session.execute(
        update(OutboxMessage)
        .where(*stale, OutboxMessage.attempts < max_attempts)
        .values(status=MessageStatus.PENDING, due_at=now, last_error=ABANDONED)
        .execution_options(synchronize_session=False)
    ).rowcount
    given_up = db.session.execute(
        update(OutboxMessage)
        .where(*stale, OutboxMessage.attempts >= max_attempts)
        .values(status=MessageStatus.FAILED, last_error=ABANDONED)
        .execution_options(synchronize_session=False)
    ).rowcount
    return released + given_up


@transactional  # ends the read before claiming: SQLite then waits for its write lock
def _due_ids(now: datetime) -> list[int]:
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.due_at <= now)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(CLAIM_WINDOW)
    ).all()
    return list(ids)


@transactional
def _try_claim(message_id: int, *, worker: str, now: datetime) -> Claim | None:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.PENDING)
        .values(
            status=MessageStatus.SENDING,
            claimed_by=worker,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:  # another worker took it first: nothing was changed
        return None
    row = db.session.get(OutboxMessage, message_id, populate_existing=True)
    claim = Claim(
        message_id=row.id,
        attempts=row.attempts,
        envelope=Envelope(
            reference=row.reference,
            channel=row.channel,
            recipient=row.recipient,
            language=row.language,
            subject=row.subject,
            body=row.body,
        ),
    )
    return claim


def claim_next(*, worker: str, now: datetime) -> Claim | None:
    """Claim the next due message for this worker, or None when nothing is due."""
    while candidates := _due_ids(now):
        for message_id in candidates:
            claim = _try_claim(message_id, worker=worker, now=now)
            if claim is not None:
                return claim
    return None


def _record(claim: Claim, *, worker: str, **values) -> None:
    with transaction():
        recorded = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == claim.message_id,
                OutboxMessage.claimed_by == worker,
                OutboxMessage.status == MessageStatus.SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
    if recorded != 1:
        logger.warning(
            "outbox-%s: the claim was lost before the outcome was recorded", claim.message_id
        )


def record_success(claim: Claim, *, worker: str, now: datetime) -> None:
    _record(claim, worker=worker, status=MessageStatus.SENT, sent_at=now, last_error="")


def record_failure(claim: Claim, *, worker: str, now: datetime, error: str) -> MessageStatus:
    """Retry later with back-off, or give up after OUTBOX_MAX_ATTEMPTS attempts."""
    if claim.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        status, due_at = MessageStatus.FAILED, now
    else:
        status, due_at = MessageStatus.PENDING, now + retry_delay(claim.attempts)
    _record(claim, worker=worker, status=status, due_at=due_at, last_error=error[:500])
    return status


class Senders(dict):
    """One sender per channel, built on first use from the app's settings."""

    def __missing__(self, channel: str) -> Sender:
        self[channel] = sender_for(channel, current_app.config)
        return self[channel]


def _deliver(claim: Claim, senders: Senders) -> str | None:
    """Send one claimed message; the reason it failed, or None when it left."""
    try:
        senders[claim.envelope.channel].send(claim.envelope)
    except SendFailed as error:
        return str(error)
    except Exception as error:  # a broken channel must not stop the worker
        logger.exception("%s: unexpected error while sending", claim.envelope.reference)
        return f"{type(error).__name__}: {error}"
    return None


def send_due(
    *, now: datetime | None = None, worker: str | None = None, senders: Senders | None = None
) -> SendReport:
    """Send every message that is due and return the counts.

    `now` fixes the clock for the whole pass (tests); by default each claim and
    outcome is stamped with the current time, so that a long pass never leaves
    claims that look abandoned while their worker is alive.
    """
    clock = (lambda: now) if now is not None else utcnow
    worker = worker or worker_name()
    senders = senders if senders is not None else Senders()
    report = SendReport(released=release_abandoned_claims(now=clock()))
    while (claim := claim_next(worker=worker, now=clock())) is not None:
        error = _deliver(claim, senders)
        if error is None:
            record_success(claim, worker=worker, now=clock())
            report.sent += 1
        elif record_failure(claim, worker=worker, now=clock(), error=error) == MessageStatus.FAILED:
            report.failed += 1
        else:
            report.retrying += 1
    return report


def run_worker(*, stop: threading.Event, poll_seconds: float) -> None:
    """Send due messages, wait `poll_seconds`, and again, until `stop` is set.

    A stop asked for while sending ends the loop after the current pass.
    """
    worker, senders = worker_name(), Senders()
    logger.info("outbox worker %s started", worker)
    while True:
        try:
            report = send_due(worker=worker, senders=senders)
        except OperationalError:  # the failed step was rolled back by its transaction
            logger.exception("outbox worker: the database is unavailable; trying again")
        else:
            if report.sent or report.retrying or report.failed or report.released:
                logger.info("outbox worker: %s", report)
        if stop.wait(poll_seconds):
            break
    logger.info("outbox worker %s stopped", worker)
