"""Applicants' use cases: see sessions, book a seat, look up, cancel and move a booking.

Who may hold a seat is decided by `eligibility.check_seat`, on every path; the
seat itself is taken and freed by `seats`, in the same transaction as the
booking row (issue 5, rule 4).
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.appointments import seats
from webapp.appointments.eligibility import Applicant, active_booking, applicant_of, check_seat
from webapp.appointments.errors import AlreadyBooked, ChangeNotAllowed, LookupFailed
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.notices import tell_applicant
from webapp.appointments.states import BookingState
from webapp.appointments.waitlist.offers import leave_on_booking
from webapp.common import clock
from webapp.common.identifiers import normalise_reference
from webapp.common.references import add_with_new_reference
from webapp.common.workflow import change_state, record_event
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.transactions import transactional

REFERENCE_PREFIX = "A"


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


def _session(session_id: int | None) -> AppointmentSession | None:
    return db.session.get(AppointmentSession, session_id) if session_id else None


def check_application(service: str, session_id: int | None, applicant: Applicant) -> list:
    """The check step before booking: every rule of `eligibility.check_seat`; return notices."""
    return check_seat(service, _session(session_id), applicant)


def _close_out_lapsed_booking(service: str, id_number: str) -> None:
    """Complete the applicant's active booking of a past session, if any."""
    lapsed = active_booking(service, id_number)
    if lapsed is not None:
        change_state(lapsed, BookingState.COMPLETED)


@transactional
def book_seat(
    service: str, session_id: int | None, applicant: Applicant, *, held: bool = False
) -> Booking:
    """Take a seat and create the booking, as one transaction.

    `held`: the seat is the one held for the applicant by a waiting-list offer
    (`waitlist.services.confirm_offer`). Otherwise a free seat is taken, and the
    applicant's place on the service's waiting list, if any, ends. Raises
    SessionFull when the guarded update finds no seat left, AlreadyBooked when
    the database refuses a second active booking, and the errors of
    `eligibility.check_seat`. Nothing is written when it raises.
    """

    def build(reference: str) -> Booking:
        check_seat(service, _session(session_id), applicant, full_ok=held)
        if held:
            seats.take_held_seat(session_id)
        else:
            seats.take_seat(session_id)
            leave_on_booking(service, applicant.id_number)
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


@transactional
def cancel_booking(booking_id: int, *, actor=None) -> Booking:
    """Cancel an active booking before the cut-off and free its seat at once."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.can_change(clock.utcnow(), cutoff_hours=cutoff_hours()):
        raise ChangeNotAllowed()
    change_state(booking, BookingState.CANCELLED, actor=actor)
    seats.free_seat(booking.session_id)
    tell_applicant(booking, MessageKind.BOOKING_CANCELLED)
    return booking


@transactional
def move_booking(booking_id: int, new_session_id: int | None) -> Booking:
    """Move a booking to another session of its service, atomically.

    The holder is checked against the new session as a new booking would be
    (their age and licence on its day, the wait after a failed attempt, the
    window); then the new seat is taken before the old one is freed. If either
    fails, nothing changes and the old seat is kept.
    """
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.can_change(clock.utcnow(), cutoff_hours=cutoff_hours()):
        raise ChangeNotAllowed()
    old_session, new_session = booking.session, _session(new_session_id)
    check_seat(booking.service, new_session, applicant_of(booking), exclude_booking=booking)
    seats.take_seat(new_session.id)
    seats.free_seat(old_session.id)
    booking.session_id = new_session.id
    db.session.expire(booking, ["session"])  # read again as the new session
    record_event(
        booking,
        from_state=BookingState.ACTIVE,
        to_state=BookingState.ACTIVE,
        public_message=f"{_when(old_session)} → {_when(new_session)}",
    )
    tell_applicant(booking, MessageKind.BOOKING_MOVED, session=new_session)
    return booking


def _when(session: AppointmentSession) -> str:
    return f"{session.day.isoformat()} {session.starts_at:%H:%M}"


def bookings_figure() -> tuple:
    """The home page's live count of appointments booked online."""
    return _l("appointments booked online"), bookings_served()


def bookings_served() -> int:
    """Bookings ever made and not cancelled: a live figure for the home page."""
    return db.session.scalar(
        select(func.count(Booking.id)).where(Booking.state != BookingState.CANCELLED)
    )
