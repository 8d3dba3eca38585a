"""The audit log: who did what to which record, from where, and when.

Rows are only ever added; nothing in the app edits or deletes them.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from webapp.common.clock import utcnow
from webapp.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_audit_entries_action_created_at", "action", "created_at"),)

    @classmethod
    def newest_first(cls):
        return select(cls).order_by(cls.created_at.desc(), cls.id.desc())


def target_of(subject) -> str:
    """How an audit entry names a submission: `kind:reference` (hazard:H20260315-7KQ2XM)."""
    return f"{subject.SUBJECT_TYPE}:{subject.reference}"


def record_audit(
    action: str,
    *,
    actor=None,
    actor_name: str = "",
    target: str = "",
    ip: str = "",
    detail: str = "",
) -> AuditEntry:
    """Add an audit row, cut to its columns' sizes, to the session; the calling verb saves it."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or actor_name,
        action=action,
        target=target[:120],
        ip=(ip or "")[:45],
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry


def record_state_change(
    action: str, subject, *, from_state: str, actor, ip: str = ""
) -> AuditEntry:
    """The audit entry of a staff member moving a submission on: `from -> to` in its detail."""
    return record_audit(
        action,
        actor=actor,
        target=target_of(subject),
        ip=ip,
        detail=f"{from_state} -> {subject.state}",
    )
