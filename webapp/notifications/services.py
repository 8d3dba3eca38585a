"""Use cases of the outbox: queue a message with a change, revive a failed one, count them."""

import hashlib
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from webapp.common.audit import record_audit
from webapp.common.clock import utcnow
from webapp.common.pagination import Page
from webapp.extensions import db
from webapp.notifications.messages import render_message
from webapp.notifications.models import Channel, OutboxMessage, recipient_key
from webapp.notifications.states import MessageStatus, SuppressionReason
from webapp.transactions import transactional

logger = logging.getLogger(__name__)


class MessageNotRetryable(Exception):
    """Only a failed message can be sent again by hand."""


def queue_message(
    *,
    kind: str,
    channel: str,
    recipient: str,
    language: str,
    subject_type: str,
    subject_id: int,
    context: dict,
    dedupe_key: str | None = None,
    due_at: datetime | None = None,
) -> OutboxMessage | None:
    """Render a message in the person's language and add it to the current session.

    Never commits: it is saved with the change that caused it, in the calling
    verb's transaction, or not at all (SPEC.md §6). Returns None, adding
    nothing, when there is no recipient (a reporter who gave no phone number)
    or when a message with the same `dedupe_key` is already queued.

    A message to a number or address that has already been sent
    MESSAGES_PER_RECIPIENT_PER_DAY in the last 24 hours is added `suppressed`,
    with its reason: the back office sees it, the worker never sends it.
    """
    if not recipient:
        return None
    if dedupe_key is not None and db.session.scalar(OutboxMessage.by_dedupe_key(dedupe_key)):
        return None
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    subject, body = render_message(kind, language=language, context=context)
    now = utcnow()
    key = recipient_key(channel, recipient)[:254]
    suppressed = _over_recipient_limit(key, now=now)
    if suppressed:
        logger.warning("outbox: a %s message over the per-recipient limit is not sent", kind)
    message = OutboxMessage(
        kind=kind,
        channel=Channel(channel),
        recipient=recipient,
        recipient_key=key,
        language=language,
        subject=subject[:300],
        body=body,
        subject_type=subject_type,
        subject_id=subject_id,
        dedupe_key=dedupe_key,
        created_at=now,
        due_at=due_at or now,
        status=MessageStatus.SUPPRESSED if suppressed else MessageStatus.PENDING,
        suppressed_reason=SuppressionReason.RECIPIENT_DAILY_LIMIT if suppressed else "",
        attempts=0,
        last_error="",
    )
    db.session.add(message)
    return message


def _over_recipient_limit(key: str, *, now: datetime) -> bool:
    """Whether this recipient has had its 24 hours' worth of messages (a rolling window).

    On PostgreSQL a transaction-scoped advisory lock on the recipient makes a second
    transaction wait until the first has committed, so that two at once cannot both
    count nine and send eleven. SQLite's writers already take turns (BEGIN IMMEDIATE).
    """
    since = now - timedelta(hours=24)
    # No flush: the caller's unsaved rows are flushed at its commit, not here.
    with db.session.no_autoflush:
        _lock_recipient(key)
        saved = db.session.scalar(OutboxMessage.count_to_recipient_since(key, since))
    unsaved = sum(
        1
        for row in db.session.new
        if isinstance(row, OutboxMessage)
        and row.recipient_key == key
        and row.status != MessageStatus.SUPPRESSED
    )
    return saved + unsaved >= current_app.config["MESSAGES_PER_RECIPIENT_PER_DAY"]


def _lock_recipient(key: str) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"outbox:{key}".encode(), digest_size=8).digest()
    db.session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, signed=True))))


@transactional
def retry_message(message_id: int, *, actor, ip: str = "") -> None:
    """Put a failed message back in the queue, due now, with a fresh count of attempts.

    Raises MessageNotRetryable when the message is not (or no longer) failed, or when
    retention has blanked it (it has no recipient left).
    """
    revived = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == MessageStatus.FAILED,
            OutboxMessage.anonymised_at.is_(None),
        )
        .values(
            status=MessageStatus.PENDING,
            attempts=0,
            due_at=utcnow(),
            claimed_by=None,
            claimed_at=None,
        )
    ).rowcount
    if revived != 1:
        raise MessageNotRetryable(message_id)
    record_audit("outbox_retry", actor=actor, target=f"outbox:{message_id}", ip=ip)


def outbox_counts() -> dict[str, int]:
    """The number of messages in each status, every status present (zero when none)."""
    counts = dict.fromkeys(MessageStatus, 0)
    for status, count in db.session.execute(OutboxMessage.counts_by_status()):
        counts[MessageStatus(status)] = count
    return counts


def failed_messages_page(number: int, *, per_page: int = 50) -> Page:
    """The failed messages, newest first, one page of them."""
    return _messages_page(MessageStatus.FAILED, number, per_page=per_page)


def suppressed_messages_page(number: int, *, per_page: int = 50) -> Page:
    """The messages held back by the per-recipient limit, newest first, one page of them."""
    return _messages_page(MessageStatus.SUPPRESSED, number, per_page=per_page)


def _messages_page(status: MessageStatus, number: int, *, per_page: int) -> Page:
    query = OutboxMessage.newest_first(status=status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=list(items), number=number, per_page=per_page, total=total)


def recent_messages(*, limit: int = 20) -> list[OutboxMessage]:
    return list(db.session.scalars(OutboxMessage.newest_first().limit(limit)))
