"""The outbox: every message to a citizen or a company, written with the change that causes it."""

import re
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from webapp.common.clock import utcnow
from webapp.common.identifiers import mask_personal_data_in_text, mask_phone
from webapp.extensions import db
from webapp.notifications.states import MESSAGE_TRANSITIONS, STATUS_LABELS, MessageStatus

_EMAIL_IN_TEXT = re.compile(r"([^\s@<>\"']+)@([^\s@<>\"']+)")


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


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(254))
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

    __table_args__ = (
        Index("ix_outbox_status_due_at", "status", "due_at"),
        Index("ix_outbox_subject", "subject_type", "subject_id"),
        Index("ix_outbox_created_at", "created_at"),
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
    def by_dedupe_key(cls, key: str):
        return select(cls.id).where(cls.dedupe_key == key)
