"""The audit log: who did what to which record, from where, and when.

Rows are only added, and never deleted. Data retention (`flask retention apply`)
masks the personal data that staff typed into old entries and into those about an
anonymised submission, and blanks the name typed and the address of old failed logins.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Select, String, or_, select, update
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


FAILED_LOGIN = "login.failure"
# The name a failed login records when no account has the name typed: what was typed
# may be a password or someone's phone number, and is never stored.
UNKNOWN_USERNAME = "(unknown)"


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


# --- data retention ---------------------------------------------------------------


def _masked(entry, mask: Callable[[str], str]) -> dict:
    return {
        "actor_name": mask(entry.actor_name)[:80],
        "target": mask(entry.target)[:120],
        "detail": mask(entry.detail)[:500],
    }


def mask_entries_about(targets: Select, mask: Callable[[int, str], str]) -> int:
    """Mask the entries about these submissions, for data retention; no commit.

    `targets` selects two columns: `target` (a submission as `target_of` names it)
    and `id` (the submission's). The actor's name, the target and the detail pass
    through `mask(id, text)`; the address of a citizen's own act (an entry without
    a staff actor) goes. Returns how many entries changed (0 on a second run).
    """
    about = targets.subquery()
    rows = db.session.execute(
        select(AuditEntry, about.c.id).join(about, AuditEntry.target == about.c.target)
    ).all()
    changed = 0
    for entry, subject_id in rows:
        values = _masked(entry, lambda text, subject_id=subject_id: mask(subject_id, text))
        values["ip"] = entry.ip if entry.actor_id is not None else ""
        if any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            changed += 1
    return changed


def mask_entries_before(cutoff: datetime, mask: Callable[[str], str], *, batch: int = 500) -> int:
    """Pass the actor's name, target and detail of entries older than `cutoff` through `mask`.

    For data retention (phones, ID numbers, plates, e-mail addresses typed into a
    search or a reason); read in batches. Returns how many entries changed (0 on
    a second run). Does not commit.
    """
    changed, last_id = 0, 0
    while rows := db.session.execute(
        select(AuditEntry.id, AuditEntry.actor_name, AuditEntry.target, AuditEntry.detail)
        .where(AuditEntry.created_at < cutoff, AuditEntry.id > last_id)
        .order_by(AuditEntry.id)
        .limit(batch)
    ).all():
        last_id = rows[-1].id
        updates = [
            {"id": row.id, **values}
            for row in rows
            if (values := _masked(row, mask)) != _masked(row, str)
        ]
        if updates:
            db.session.execute(update(AuditEntry), updates)
        changed += len(updates)
    return changed


def purge_failed_logins(cutoff: datetime) -> int:
    """Blank the name typed and the address of failed logins older than `cutoff`.

    The entries stay (when, which account if one was named, why refused), so that
    the counts do. Returns how many changed (0 on a second run). Does not commit.
    """
    return db.session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.action == FAILED_LOGIN,
            AuditEntry.created_at < cutoff,
            or_(AuditEntry.actor_name != "", AuditEntry.ip != ""),
        )
        .values(actor_name="", ip="")
        .execution_options(synchronize_session="fetch")
    ).rowcount
