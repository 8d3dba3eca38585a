"""A place on the waiting list of a service: for one full session, or any between two days."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, and_, func, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import service_label
from webapp.appointments.waitlist.states import (
    ACTIVE_STATES,
    ENTRY_STATE_LABELS,
    ENTRY_TRANSITIONS,
    EntryState,
)
from webapp.common.identifiers import mask_id_number, mask_phone
from webapp.common.workflow import WorkflowSubject
from webapp.extensions import db

_ACTIVE_SQL = "state IN ('waiting', 'offered')"


class WaitlistEntry(WorkflowSubject, db.Model):
    """One applicant in line; the line is the order of `id` within a service."""

    __tablename__ = "waitlist_entries"
    SUBJECT_TYPE = "waitlist"
    TRANSITIONS = ENTRY_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    service: Mapped[str] = mapped_column(String(30))
    # The full session they asked for; None when any session from first_day to last_day will do.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_sessions.id"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    full_name: Mapped[str] = mapped_column(String(30))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    phone: Mapped[str] = mapped_column(String(11))
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    subject: Mapped[int | None] = mapped_column()
    licence_class: Mapped[str | None] = mapped_column(String(2))
    licence_expiry: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(5), default="zh", server_default="zh")
    offered_session_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_sessions.id"))
    offered_at: Mapped[datetime | None] = mapped_column()
    offer_expires_at: Mapped[datetime | None] = mapped_column()
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))

    session = relationship(AppointmentSession, foreign_keys=[session_id], lazy="joined")
    offered_session = relationship(
        AppointmentSession, foreign_keys=[offered_session_id], lazy="joined"
    )
    booking = relationship(Booking, lazy="joined")

    __table_args__ = (
        # One place in line per ID number and service, whatever the concurrency.
        Index(
            "uq_waitlist_entries_active_id_number",
            "service",
            "id_number",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_waitlist_entries_line", "service", "state", "id"),
        Index("ix_waitlist_entries_offer_expiry", "state", "offer_expires_at"),
    )

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_waiting(self) -> bool:
        return self.state == EntryState.WAITING

    @property
    def is_offered(self) -> bool:
        return self.state == EntryState.OFFERED

    @property
    def state_label(self) -> str:
        return str(ENTRY_STATE_LABELS[EntryState(self.state)])

    @property
    def service_label(self) -> str:
        return service_label(self.service)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @classmethod
    def by_reference(cls, reference: str):
        return select(cls).where(cls.reference == reference)

    @classmethod
    def waiting_for(cls, session: AppointmentSession):
        """The people waiting for a seat in this session, first in line first."""
        return (
            select(cls)
            .where(cls.service == session.service, cls.state == EntryState.WAITING, wants(session))
            .order_by(cls.id)
        )

    @classmethod
    def line_of(cls, session: AppointmentSession):
        """Everyone in line for this session, and those it is offered to, in order."""
        return (
            select(cls)
            .where(
                cls.service == session.service,
                or_(
                    and_(cls.state == EntryState.WAITING, wants(session)),
                    and_(cls.state == EntryState.OFFERED, cls.offered_session_id == session.id),
                ),
            )
            .order_by(cls.id)
        )

    @classmethod
    def position_of(cls, entry: "WaitlistEntry"):
        """1 + the people still waiting ahead of `entry` for a day it wants too."""
        return select(func.count(cls.id) + 1).where(
            cls.service == entry.service,
            cls.state == EntryState.WAITING,
            cls.id < entry.id,
            cls.first_day <= entry.last_day,
            cls.last_day >= entry.first_day,
        )

    @classmethod
    def active_for(cls, service: str, id_number: str):
        return select(cls).where(
            cls.service == service, cls.id_number == id_number, cls.state.in_(ACTIVE_STATES)
        )


def wants(session: AppointmentSession):
    """An entry that would take a seat of `session`: asked for it, or for any on its day."""
    entry = WaitlistEntry
    return or_(
        entry.session_id == session.id,
        and_(
            entry.session_id.is_(None),
            entry.first_day <= session.day,
            entry.last_day >= session.day,
        ),
    )
