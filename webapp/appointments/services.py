"""Applicants' use cases: see sessions, book a seat, look up, cancel and move a booking.

Seats are counted by guarded updates of `appointment_sessions.seats_taken` in the
same transaction as the booking row, so that the database, not Python, keeps a
session within its capacity under any concurrency (issue 5, rule 4).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from webapp.appointments.errors import (
    AlreadyBooked,
    ChangeNotAllowed,
    LookupFailed,
    RetakeTooSoon,
    SessionFull,
    SessionUnavailable,
)
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.notices import tell_applicant
from webapp.appointments.rules import service_rule
from webapp.appointments.states import BookingState, SessionState
from webapp.common import clock
from webapp.common.identifiers import normalise_reference
from webapp.common.references import add_with_new_reference
from webapp.common.workflow import change_state, record_event
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.transactions import transactional

REFERENCE_PREFIX = "A"


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str
    phone: str
    subject: int | None = None
    licence_class: str | None = None
    licence_expiry: date | None = None
    language: str = "zh"  # the language the applicant used: messages are sent in it


def _window() -> dict:
    return {
        "opens_days": current_app.config["BOOKING_OPENS_DAYS"],
        "cutoff_hours": current_app.config["BOOKING_CUTOFF_HOURS"],
    }


def cutoff_hours() -> int:
    return current_app.config["BOOKING_CUTOFF_HOURS"]


def sessions_on_offer(service: str, *, exclude_id: int | None = None) -> list[AppointmentSession]:
    """Open sessions of a service inside the booking window, full ones included."""
    local_now = clock.local_now().replace(tzinfo=None)
    last_start = local_now + timedelta(hours=cutoff_hours())
    last_day = local_now.date() + timedelta(days=current_app.config["BOOKING_OPENS_DAYS"])
    sessions = db.session.scalars(
        AppointmentSession.open_for(service, first_day=last_start.date(), last_day=last_day)
    )
    # Compared in Beijing time, as the sessions are published (no time zone per row).
    return [
        session
        for session in sessions
        if session.id != exclude_id
        and datetime.combine(session.day, session.starts_at) > last_start
    ]


def _bookable_session(service: str, session_id: int | None) -> AppointmentSession:
    session = db.session.get(AppointmentSession, session_id) if session_id else None
    if session is None or session.service != service:
        raise SessionUnavailable()
    if not session.is_bookable(clock.utcnow(), **_window()):
        raise SessionUnavailable()
    return session


def check_application(service: str, session_id: int | None, applicant: Applicant) -> list:
    """Check every rule that can be checked before the seat is taken; return notices.

    Raises SessionUnavailable, SessionFull, AlreadyBooked, RetakeTooSoon or RuleBroken.
    """
    session = _bookable_session(service, session_id)
    if session.is_full:
        raise SessionFull()
    notices = service_rule(service).check(
        id_number=applicant.id_number,
        session_day=session.day,
        licence_expiry=applicant.licence_expiry,
    )
    _check_retake_wait(service, applicant)
    _check_no_active_booking(service, applicant.id_number)
    return notices


def _check_retake_wait(service: str, applicant: Applicant) -> None:
    """The same exam subject waits 10 days after a fail or a no-show (issue 5, item 6)."""
    if not service_rule(service).is_exam or applicant.subject is None:
        return
    last = db.session.scalar(
        Booking.last_failed_attempt(id_number=applicant.id_number, subject=applicant.subject)
    )
    if last is not None and clock.local_today() < last.retake_from:
        raise RetakeTooSoon(last.retake_from)


def _active_booking(service: str, id_number: str) -> Booking | None:
    return db.session.scalar(
        select(Booking).where(
            Booking.service == service,
            Booking.id_number == id_number,
            Booking.state == BookingState.ACTIVE,
        )
    )


def _check_no_active_booking(service: str, id_number: str) -> None:
    active = _active_booking(service, id_number)
    # A past session nobody closed out must not block the applicant for ever.
    if active is not None and active.session.day >= clock.local_today():
        raise AlreadyBooked()


def _close_out_lapsed_booking(service: str, id_number: str) -> None:
    """Complete the applicant's active booking of a past session, if any."""
    lapsed = _active_booking(service, id_number)
    if lapsed is not None:
        change_state(lapsed, BookingState.COMPLETED)


def _take_seat(session_id: int) -> bool:
    result = db.session.execute(
        update(AppointmentSession)
        .where(
            AppointmentSession.id == session_id,
            AppointmentSession.seats_taken < AppointmentSession.capacity,
            AppointmentSession.state == SessionState.OPEN,
        )
        .values(seats_taken=AppointmentSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def free_seat(session_id: int) -> None:
    db.session.execute(
        update(AppointmentSession)
        .where(AppointmentSession.id == session_id, AppointmentSession.seats_taken > 0)
        .values(seats_taken=AppointmentSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


@transactional
def book_seat(service: str, session_id: int | None, applicant: Applicant) -> Booking:
    """Take a seat and create the booking, as one transaction.

    Raises SessionFull when the guarded update finds no seat left, AlreadyBooked
    when the database refuses a second active booking, and the errors of
    check_application(). Nothing is written when it raises.
    """

    def build(reference: str) -> Booking:
        check_application(service, session_id, applicant)
        if not _take_seat(session_id):
            raise SessionFull()
        _close_out_lapsed_booking(service, applicant.id_number)
        booking = Booking(
            reference=reference,
            service=service,
            session_id=session_id,
            state=BookingState.ACTIVE,
            **vars(applicant),
        )
        db.session.add(booking)
        db.session.flush()
        record_event(booking, to_state=BookingState.ACTIVE)
        tell_applicant(booking, MessageKind.BOOKING_CONFIRMED)
        return booking

    try:
        return add_with_new_reference(build, prefix=REFERENCE_PREFIX, model=Booking)
    except IntegrityError:  # the applicant's active booking, made a moment ago
        raise AlreadyBooked() from None


def find_booking(reference: str, id_number: str) -> Booking:
    """The booking with this reference and ID number; one error whichever half is wrong."""
    booking = db.session.scalar(Booking.by_reference(normalise_reference(reference)))
    if booking is None or booking.id_number != (id_number or "").strip().upper():
        raise LookupFailed()
    return booking


def get_booking(booking_id: int | None) -> Booking | None:
    return db.session.get(Booking, booking_id) if booking_id else None


def cancel_booking(booking_id: int, *, actor=None) -> Booking:
    """Cancel an active booking before the cut-off and free its seat at once; commit."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.can_change(clock.utcnow(), cutoff_hours=cutoff_hours()):
        raise ChangeNotAllowed()
    change_state(booking, BookingState.CANCELLED, actor=actor)
    free_seat(booking.session_id)
    tell_applicant(booking, MessageKind.BOOKING_CANCELLED)
    db.session.commit()
    return booking


def move_booking(booking_id: int, new_session_id: int | None) -> Booking:
    """Move a booking to another session of its service, atomically; commit.

    The new seat is taken first; if it cannot be had, nothing changes and the
    old seat is kept.
    """
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.can_change(clock.utcnow(), cutoff_hours=cutoff_hours()):
        raise ChangeNotAllowed()
    old_session = booking.session
    try:
        new_session = _bookable_session(booking.service, new_session_id)
        if new_session.id == old_session.id:
            raise SessionUnavailable()
        if not _take_seat(new_session.id):
            raise SessionFull()
        free_seat(old_session.id)
        booking.session_id = new_session.id
        record_event(
            booking,
            from_state=BookingState.ACTIVE,
            to_state=BookingState.ACTIVE,
            public_message=f"{_when(old_session)} → {_when(new_session)}",
        )
        tell_applicant(booking, MessageKind.BOOKING_MOVED, session=new_session)
        db.session.commit()
    except (SessionFull, SessionUnavailable):
        db.session.rollback()
        raise
    db.session.refresh(booking)
    return booking


def _when(session: AppointmentSession) -> str:
    return f"{session.day.isoformat()} {session.starts_at:%H:%M}"


def bookings_served() -> int:
    """Bookings ever made and not cancelled: a live figure for the home page."""
    return db.session.scalar(
        select(func.count(Booking.id)).where(Booking.state != BookingState.CANCELLED)
    )
