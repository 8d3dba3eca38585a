"""The pieces every submission's life cycle shares: transitions, events, notes, assignment.

A feature declares its states as a StrEnum and one `TransitionTable`; its
services call `change_state()`, which checks the table, records the event and
tells the listeners of that subject type (`listen_to_state_changes`), so that
every path that changes a state (one form, a bulk action, a reopening) is heard.
Hazard reports, bookings and training requests all keep their history in the
same two tables, keyed by subject type and id, so that the back office reads
one history for any submission.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Select, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from webapp.common.clock import utcnow
from webapp.extensions import db


class TransitionNotAllowed(Exception):
    def __init__(self, from_state: str, to_state: str):
        super().__init__(f"{from_state} -> {to_state} is not allowed")
        self.from_state, self.to_state = from_state, to_state


class TransitionTable:
    """The allowed moves between the states of one workflow."""

    def __init__(self, moves: Mapping[StrEnum, Iterable[StrEnum]]):
        self._moves = {state: frozenset(targets) for state, targets in moves.items()}

    def targets(self, state: str) -> frozenset:
        return self._moves.get(state, frozenset())

    def allows(self, from_state: str, to_state: str) -> bool:
        return to_state in self.targets(from_state)

    def check(self, from_state: str, to_state: str) -> None:
        if not self.allows(from_state, to_state):
            raise TransitionNotAllowed(from_state, to_state)


REOPEN = "reopen"
LETTER = "letter"
STAFF_ONLY_KINDS = frozenset({LETTER})


class WorkflowEvent(db.Model):
    """One change in a submission's life: who, when, from, to, and what the public is told."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    public_message: Mapped[str] = mapped_column(Text, default="")
    # What the event was, when more than a state change: "reopen" (by the reporter),
    # "letter" (a referral letter sent; the state does not change). Its label is
    # translated when shown, so that no stored text carries a fixed language.
    kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # Staff-only text kept with the event (the letter as sent); never shown to the public.
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")

    actor = relationship("User", lazy="joined")

    @property
    def is_public(self) -> bool:
        """Shown on the public page: a change of state, not a staff-only record."""
        return self.kind not in STAFF_ONLY_KINDS

    __table_args__ = (
        Index("ix_workflow_events_subject", "subject_type", "subject_id", "created_at"),
    )

    @classmethod
    def history_of(cls, subject_type: str, subject_id: int):
        return (
            select(cls)
            .where(cls.subject_type == subject_type, cls.subject_id == subject_id)
            .order_by(cls.created_at, cls.id)
        )


class WorkflowNote(db.Model):
    """An internal staff note on a submission; never shown to the public."""

    __tablename__ = "workflow_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    author = relationship("User", lazy="joined")

    __table_args__ = (
        Index("ix_workflow_notes_subject", "subject_type", "subject_id", "created_at"),
    )

    @classmethod
    def notes_on(cls, subject_type: str, subject_id: int):
        return (
            select(cls)
            .where(cls.subject_type == subject_type, cls.subject_id == subject_id)
            .order_by(cls.created_at, cls.id)
        )


class WorkflowSubject:
    """Mixin for a submission with a life cycle: state, assignee, timestamps.

    A subclass sets `SUBJECT_TYPE` (e.g. "hazard") and `TRANSITIONS`.
    """

    SUBJECT_TYPE: str = ""
    TRANSITIONS: TransitionTable

    state: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    @declared_attr
    def assignee_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"), index=True)

    @declared_attr
    def assignee(cls):
        return relationship("User", foreign_keys=[cls.assignee_id], lazy="joined")

    def can_move_to(self, state: str) -> bool:
        return self.TRANSITIONS.allows(self.state, state)


def record_event(
    subject: WorkflowSubject,
    *,
    to_state: str,
    from_state: str | None = None,
    actor=None,
    public_message: str = "",
    kind: str = "",
    detail: str = "",
) -> WorkflowEvent:
    """Add the event of a change to the session (the time is the column's default)."""
    event = WorkflowEvent(
        subject_type=subject.SUBJECT_TYPE,
        subject_id=subject.id,
        actor_id=getattr(actor, "id", None),
        from_state=from_state,
        to_state=to_state,
        public_message=public_message or "",
        kind=kind,
        detail=detail,
    )
    db.session.add(event)
    return event


StateListener = Callable[[WorkflowSubject, WorkflowEvent], None]

# subject type -> {listener's name: listener}; filled by the packages' `register(app)`
# (webapp/features.py), by name, so that registering twice changes nothing.
_STATE_LISTENERS: dict[str, dict[str, StateListener]] = {}


def listen_to_state_changes(subject_type: str, listener: StateListener) -> None:
    """Call `listener(subject, event)` after each change of state of this subject type.

    It runs inside the change's transaction (it may add rows, e.g. outbox messages,
    and must not commit); what it raises undoes the change.
    """
    name = f"{listener.__module__}.{listener.__qualname__}"
    _STATE_LISTENERS.setdefault(subject_type, {})[name] = listener


def change_state(
    subject: WorkflowSubject,
    to_state: str,
    *,
    actor=None,
    public_message: str = "",
    kind: str = "",
) -> WorkflowEvent:
    """Move a subject to a new state if its table allows it, record the event and tell
    the listeners of its subject type.

    Raises TransitionNotAllowed; adds to the session, the caller commits.
    """
    from_state = subject.state
    subject.TRANSITIONS.check(from_state, to_state)
    subject.state = to_state
    subject.state_changed_at = utcnow()
    db.session.flush()
    event = record_event(
        subject,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        public_message=public_message,
        kind=kind,
    )
    for listener in _STATE_LISTENERS.get(subject.SUBJECT_TYPE, {}).values():
        listener(subject, event)
    return event


def add_note(subject: WorkflowSubject, body: str, *, author) -> WorkflowNote:
    note = WorkflowNote(
        subject_type=subject.SUBJECT_TYPE,
        subject_id=subject.id,
        author_id=getattr(author, "id", None),
        body=body,
    )
    db.session.add(note)
    return note


# What a staff note on an anonymised submission says instead of what it said: names
# cannot be found in free text by any pattern, and a note's use ends with its case.
NOTE_REMOVED = "（已按保存期限删除）"


def remove_notes(subject_type: str, subject_ids: Select) -> int:
    """Replace the staff notes of these subjects with NOTE_REMOVED (data retention).

    The notes stay (author and time), their text goes. Returns how many notes
    changed (0 on a second run). Does not commit.
    """
    return db.session.execute(
        update(WorkflowNote)
        .where(
            WorkflowNote.subject_type == subject_type,
            WorkflowNote.subject_id.in_(subject_ids),
            WorkflowNote.body != NOTE_REMOVED,
        )
        .values(body=NOTE_REMOVED)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def mask_public_messages(
    subject_type: str, subject_ids: Select, mask: Callable[[int, str], str]
) -> int:
    """Pass the public messages and staff-only texts of these subjects' events through
    `mask(subject_id, text)`.

    For data retention: the events stay, what staff typed about a person goes.
    Returns how many events changed (0 on a second run). Does not commit.
    """
    events = db.session.scalars(
        select(WorkflowEvent).where(
            WorkflowEvent.subject_type == subject_type,
            WorkflowEvent.subject_id.in_(subject_ids),
            or_(WorkflowEvent.public_message != "", WorkflowEvent.detail != ""),
        )
    )
    changed = 0
    for event in events:
        masked = mask(event.subject_id, event.public_message)
        detail = mask(event.subject_id, event.detail) if event.detail else ""
        if (masked, detail) != (event.public_message, event.detail):
            event.public_message, event.detail = masked, detail
            changed += 1
    return changed


def assign(subject: WorkflowSubject, assignee) -> None:
    subject.assignee_id = getattr(assignee, "id", None)
