"""Sessions that staff publish and the bookings applicants make on them."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Time, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.appointments.rules import (
    LICENCE_CLASS_LABELS,
    RETAKE_WAIT_DAYS,
    SUBJECT_LABELS,
    service_label,
    service_rule,
)
from webapp.appointments.states import (
    ATTENDED,
    BOOKING_STATE_LABELS,
    BOOKING_TRANSITIONS,
    FAILED_RESULTS,
    OUTCOME_LABELS,
    RESULT_LABELS,
    SESSION_STATE_LABELS,
    SESSION_TRANSITIONS,
    BookingState,
    ExamResult,
    SessionState,
)
from webapp.common.clock import local_to_utc, utcnow
from webapp.common.identifiers import mask_id_number, mask_phone
from webapp.common.workflow import WorkflowSubject
from webapp.extensions import db


class AppointmentSession(db.Model):
    """A time slot for one service; `seats_taken` moves only by guarded updates."""

    __tablename__ = "appointment_sessions"
    TRANSITIONS = SESSION_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(30))
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Seats held for someone on the waiting list until they answer (webapp/appointments/waitlist).
    seats_held: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    waitlist_closed: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    state: Mapped[str] = mapped_column(String(20), default=SessionState.OPEN)
    # Why the brigade cancelled it: told to every applicant and shown on their booking.
    cancel_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bookings = relationship("Booking", back_populates="session", lazy="raise_on_sql")

    __table_args__ = (
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        CheckConstraint(
            "seats_held >= 0 AND seats_taken + seats_held <= capacity", name="held_within_capacity"
        ),
        Index("ix_appointment_sessions_service_day", "service", "day"),
    )

    @property
    def seats_left(self) -> int:
        """Seats nobody has booked and nobody holds: free = capacity - taken - held."""
        return max(self.capacity - self.seats_taken - self.seats_held, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN

    @property
    def is_cancelled(self) -> bool:
        return self.state == SessionState.CANCELLED

    @property
    def state_label(self) -> str:
        return str(SESSION_STATE_LABELS[SessionState(self.state)])

    @property
    def service_label(self) -> str:
        return service_label(self.service)

    @property
    def time_range(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def start_utc(self) -> datetime:
        return local_to_utc(datetime.combine(self.day, self.starts_at))

    @property
    def end_utc(self) -> datetime:
        return local_to_utc(datetime.combine(self.day, self.ends_at))

    def cutoff(self, hours: int) -> datetime:
        """The last moment (UTC) to book, cancel or move: `hours` before the start."""
        return self.start_utc - timedelta(hours=hours)

    def is_bookable(self, now: datetime, *, opens_days: int, cutoff_hours: int) -> bool:
        return self.is_open and self.in_window(
            now, opens_days=opens_days, cutoff_hours=cutoff_hours
        )

    def in_window(self, now: datetime, *, opens_days: int, cutoff_hours: int) -> bool:
        opens_at = local_to_utc(datetime.combine(self.day - timedelta(days=opens_days), time()))
        return opens_at <= now < self.cutoff(cutoff_hours)

    @classmethod
    def open_for(cls, service: str, *, first_day: date, last_day: date):
        return (
            select(cls)
            .where(
                cls.service == service,
                cls.state == SessionState.OPEN,
                cls.day >= first_day,
                cls.day <= last_day,
            )
            .order_by(cls.day, cls.starts_at, cls.id)
        )

    @classmethod
    def calendar(cls, *, first_day: date, service: str | None = None):
        query = select(cls).where(cls.day >= first_day)
        if service:
            query = query.where(cls.service == service)
        return query.order_by(cls.day, cls.starts_at, cls.id)


class Booking(WorkflowSubject, db.Model):
    """One applicant's seat on a session; at most one active per ID number and service."""

    __tablename__ = "bookings"
    SUBJECT_TYPE = "booking"
    TRANSITIONS = BOOKING_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    service: Mapped[str] = mapped_column(String(30))
    session_id: Mapped[int] = mapped_column(ForeignKey("appointment_sessions.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(30))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    phone: Mapped[str] = mapped_column(String(11), index=True)
    subject: Mapped[int | None] = mapped_column()
    licence_class: Mapped[str | None] = mapped_column(String(2))
    licence_expiry: Mapped[date | None] = mapped_column(Date)
    checked_in_at: Mapped[datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(String(10))
    # When the check-in, result or no-show that completed the booking was recorded:
    # a correction is allowed until the end of the next working day after it.
    outcome_recorded_at: Mapped[datetime | None] = mapped_column()
    # The language the applicant used: every message about the booking is in it.
    language: Mapped[str] = mapped_column(String(5), default="zh", server_default="zh")

    session = relationship(AppointmentSession, back_populates="bookings", lazy="joined")

    __table_args__ = (
        # The database itself refuses a second active booking (issue 5, rule 4).
        Index(
            "uq_bookings_active_id_number",
            "service",
            "id_number",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
    )

    @property
    def is_active(self) -> bool:
        return self.state == BookingState.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.state == BookingState.COMPLETED

    @property
    def outcome(self) -> str:
        """What was recorded: a result, "attended" (checked in, no result) or ""."""
        if self.result:
            return self.result
        return ATTENDED if self.checked_in_at is not None else ""

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS.get(self.outcome, ""))

    @property
    def is_exam(self) -> bool:
        rule = service_rule(self.service)
        return bool(rule and rule.is_exam)

    @property
    def state_label(self) -> str:
        return str(BOOKING_STATE_LABELS[BookingState(self.state)])

    @property
    def result_label(self) -> str:
        return str(RESULT_LABELS[ExamResult(self.result)]) if self.result else ""

    @property
    def is_failed_attempt(self) -> bool:
        return self.result in FAILED_RESULTS

    @property
    def retake_from(self) -> date:
        return self.session.day + timedelta(days=RETAKE_WAIT_DAYS)

    @property
    def subject_label(self) -> str:
        return str(SUBJECT_LABELS.get(self.subject, "")) if self.subject else ""

    @property
    def licence_class_label(self) -> str:
        return str(LICENCE_CLASS_LABELS.get(self.licence_class, "")) if self.licence_class else ""

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_no_show(self) -> bool:
        return self.result == ExamResult.NO_SHOW

    def needs_action(self, today: date) -> bool:
        """Still active although its session is today or past: check-in or result due."""
        return self.is_active and self.session.day <= today

    def can_change(self, now: datetime, *, cutoff_hours: int) -> bool:
        return self.is_active and now < self.session.cutoff(cutoff_hours)

    @classmethod
    def by_reference(cls, reference: str):
        return select(cls).where(cls.reference == reference)

    @classmethod
    def roster(cls, session_id: int):
        return (
            select(cls)
            .where(cls.session_id == session_id, cls.state != BookingState.CANCELLED)
            .order_by(cls.full_name, cls.id)
        )

    @classmethod
    def last_failed_attempt(cls, *, id_number: str, subject: int):
        return (
            select(cls)
            .join(cls.session)
            .where(
                cls.service == "motorcycle_exam",
                cls.id_number == id_number,
                cls.subject == subject,
                cls.result.in_([str(result) for result in FAILED_RESULTS]),
            )
            .order_by(AppointmentSession.day.desc())
            .limit(1)
        )
