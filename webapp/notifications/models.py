"""The outbox: every message to a citizen or a company, written with the change that causes it."""

import re
import unicodedata
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from webapp.common.clock import utcnow
from webapp.common.identifiers import mask_personal_data_in_text, mask_phone
from webapp.extensions import db
from webapp.notifications.states import (
    MESSAGE_TRANSITIONS,
    STATUS_LABELS,
    SUPPRESSION_REASONS,
    MessageStatus,
)

_EMAIL_IN_TEXT = re.compile(r"([^\s@<>\"']+)@([^\s@<>\"']+)")
_NOT_DIGITS = re.compile(r"[^0-9]")


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


CHANNEL_LABELS = {Channel.SMS: _l("Text message"), Channel.EMAIL: _l("E-mail")}


def mask_email(address: str | None) -> str:
    """`zhang.san@example.com` -> `z***@example.com`."""
    if not address or "@" not in address:
        return address or ""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_contacts_in_text(text: str) -> str:
    """Mask phones, ID numbers and e-mail addresses inside free text (error messages)."""
    text = mask_personal_data_in_text(text or "")
    return _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group(0)), text)


def recipient_key(channel: str, recipient: str) -> str:
    """The person a message reaches, however the number or address was written.

    A phone number keeps its digits without the country code; an e-mail address is
    lower-cased and loses a `+tag` (most mail services deliver `zhang+1@` to `zhang@`).
    """
    if channel == Channel.EMAIL:
        address = unicodedata.normalize("NFKC", recipient).strip().lower()
        local, _, domain = address.rpartition("@")
        return f"{local.split('+', 1)[0]}@{domain}"
    digits = _NOT_DIGITS.sub("", unicodedata.normalize("NFKC", recipient))
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_key: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    anonymised_at: Mapped[datetime | None] = mapped_column()
    suppressed_reason: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (
        Index("ix_outbox_status_due_at", "status", "due_at"),
        Index("ix_outbox_subject", "subject_type", "subject_id"),
        Index("ix_outbox_created_at", "created_at"),
        Index("ix_outbox_recipient_key_created_at", "recipient_key", "created_at"),
    )

    @property
    def reference(self) -> str:
        """The id a gateway sees, so that its logs can be matched with ours."""
        return f"outbox-{self.id}"

    @property
    def masked_recipient(self) -> str:
        if self.channel == Channel.EMAIL:
            return mask_email(self.recipient)
        return mask_phone(self.recipient)

    @property
    def masked_error(self) -> str:
        return mask_contacts_in_text(self.last_error)

    @property
    def is_failed(self) -> bool:
        return self.status == MessageStatus.FAILED

    @property
    def can_retry(self) -> bool:
        # sending -> pending is the worker's move; an administrator only revives failed ones.
        return self.is_failed and MESSAGE_TRANSITIONS.allows(self.status, MessageStatus.PENDING)

    @property
    def suppressed_reason_label(self) -> str:
        reason = self.suppressed_reason
        return str(SUPPRESSION_REASONS.get(reason, reason)) if reason else ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))

    @classmethod
    def newest_first(cls, *, status: str | None = None):
        query = select(cls).order_by(cls.created_at.desc(), cls.id.desc())
        return query if status is None else query.where(cls.status == status)

    @classmethod
    def counts_by_status(cls):
        return select(cls.status, func.count()).group_by(cls.status)

    @classmethod
    def count_to_recipient_since(cls, key: str, since: datetime):
        """How many messages to this recipient were queued since then and not held back."""
        return (
            select(func.count())
            .select_from(cls)
            .where(
                cls.recipient_key == key,
                cls.created_at >= since,
                cls.status.in_([MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.SENT]),
            )
        )

    @classmethod
    def by_dedupe_key(cls, key: str):
        return select(cls.id).where(cls.dedupe_key == key)
