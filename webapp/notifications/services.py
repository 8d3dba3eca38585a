"""Use cases of the outbox: queue a message with a change, revive a failed one, count them."""

from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

from webapp.common.audit import record_audit
from webapp.common.clock import utcnow
from webapp.common.pagination import Page
from webapp.extensions import db
from webapp.notifications.messages import render_message
from webapp.notifications.models import Channel, OutboxMessage
from webapp.notifications.states import MessageStatus


class MessageNotRetryable(Exception):
    """Only a failed message can be sent again by hand."""


def queue_message(*, dedupe_key: str | None = None, **message) -> OutboxMessage | None:
    """Render a message in the person's language and add it to the current session.

    Never commits: the calling service commits once, so the message exists only
    if the change that caused it committed (SPEC.md §6). Returns None, adding
    nothing, when a message with the same `dedupe_key` is already queued or when
    there is no recipient (a reporter who gave no phone number). The other
    arguments are `message_values`'.
    """
    if dedupe_key is not None and db.session.scalar(OutboxMessage.by_dedupe_key(dedupe_key)):
        return None
    values = message_values(dedupe_key=dedupe_key, **message)
    if values is None:
        return None
    outbox_message = OutboxMessage(**values)
    db.session.add(outbox_message)
    return outbox_message


def message_values(
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
) -> dict | None:
    """The columns of one pending outbox row, its text rendered; None without a recipient."""
    if not recipient:
        return None
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    subject, body = render_message(kind, language=language, context=context)
    now = utcnow()
    return {
        "kind": kind,
        "channel": Channel(channel),
        "recipient": recipient,
        "language": language,
        "subject": subject[:300],
        "body": body,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "dedupe_key": dedupe_key,
        "created_at": now,
        "due_at": due_at or now,
        "status": MessageStatus.PENDING,
        "attempts": 0,
        "last_error": "",
    }


def retry_message(message_id: int, *, actor, ip: str = "") -> None:
    """Put a failed message back in the queue, due now, with a fresh count of attempts.

    Raises MessageNotRetryable when the message is not (or no longer) failed.
    """
    revived = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.FAILED)
        .values(
            status=MessageStatus.PENDING,
            attempts=0,
            due_at=utcnow(),
            claimed_by=None,
            claimed_at=None,
        )
    ).rowcount
    if revived != 1:
        db.session.rollback()
        raise MessageNotRetryable(message_id)
    record_audit("outbox_retry", actor=actor, target=f"outbox-{message_id}", ip=ip)
    db.session.commit()


def outbox_counts() -> dict[str, int]:
    """The number of messages in each status, every status present (zero when none)."""
    counts = dict.fromkeys(MessageStatus, 0)
    for status, count in db.session.execute(OutboxMessage.counts_by_status()):
        counts[MessageStatus(status)] = count
    return counts


def failed_messages_page(number: int, *, per_page: int = 50) -> Page:
    """The failed messages, newest first, one page of them."""
    query = OutboxMessage.newest_first(status=MessageStatus.FAILED)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=list(items), number=number, per_page=per_page, total=total)


def recent_messages(*, limit: int = 20) -> list[OutboxMessage]:
    return list(db.session.scalars(OutboxMessage.newest_first().limit(limit)))
