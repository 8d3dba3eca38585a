"""API keys of the partners that send reports through Open311 (e.g. 数字城管)."""

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.common.clock import utcnow
from webapp.extensions import db


def hash_token(token: str) -> str:
    """The SHA-256 of a key's token: the only form of it the database keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiKey(db.Model):
    __tablename__ = "open311_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()

    created_by = relationship("User", lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def newest_first(cls):
        return select(cls).order_by(cls.created_at.desc(), cls.id.desc())

    @classmethod
    def active_with_token(cls, token: str):
        return select(cls).where(cls.key_hash == hash_token(token), cls.revoked_at.is_(None))
