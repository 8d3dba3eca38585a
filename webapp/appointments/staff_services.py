"""Back-office use cases: publish and manage sessions, roster, check-in, results, search.

Each verb records an audit entry for the staff member who acted, and is one
transaction; the helpers the inbox calls (`cancel_by_staff`, `mark_*`) run in
their caller's. Seats and capacity change only through `seats`.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from webapp.appointments import seats, session_rules
from webapp.appointments.errors import AppointmentError
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.notices import tell_applicant
from webapp.appointments.states import ATTENDED, BookingState, ExamResult, SessionState
from webapp.common import clock
from webapp.common.audit import record_audit, target_of
from webapp.common.identifiers import normalise_reference
from webapp.common.workflow import WorkflowEvent, change_state
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.transactions import transactional

MAX_SERIES = 60


@dataclass(frozen=True)
class SessionPlan:
    service: str
    day: date
    starts_at: time
    ends_at: time
    place: str
    capacity: int


@transactional
def publish_sessions(
    plan: SessionPlan, *, weekly_until: date | None = None, actor=None, ip: str = ""
) -> list[AppointmentSession]:
    """Create one session, or one a week from `plan.day` to `weekly_until`.

    Raises SessionInPast when the first session would start now or earlier.
    """
    session_rules.check_publishable(clock.local_to_utc(datetime.combine(plan.day, plan.starts_at)))
    days = [plan.day]
    while weekly_until and days[-1] + timedelta(days=7) <= weekly_until:
        days.append(days[-1] + timedelta(days=7))
    if len(days) > MAX_SERIES:
        raise AppointmentError(
            _l("A series can have at most %(count)d sessions.", count=MAX_SERIES),
            field="weekly_until",
        )
    sessions = [
        AppointmentSession(**(asdict(plan) | {"day": day}), state=SessionState.OPEN) for day in days
    ]
    db.session.add_all(sessions)
    db.session.flush()
    for session in sessions:  # people waiting for any session of these days
        seats.seats_freed(session.id)
    record_audit(
        "session.created",
        actor=actor,
        actor_name="cli" if actor is None else "",
        target=",".join(f"session:{session.id}" for session in sessions),
        ip=ip,
        detail=f"{plan.service} {days[0]}..{days[-1]} x{plan.capacity}",
    )
    return sessions


def get_session(session_id: int) -> AppointmentSession | None:
    return db.session.get(AppointmentSession, session_id)


@transactional
def change_capacity(session_id: int, capacity: int, *, actor, ip: str = "") -> None:
    """Set a session's capacity, never below its seats taken (raises CapacityTooLow)."""
    if get_session(session_id) is None:
        raise AppointmentError(_l("There is no such session."))
    seats.set_capacity(session_id, capacity)
    record_audit(
        "session.capacity",
        actor=actor,
        actor_name="cli" if actor is None else "",
        target=f"session:{session_id}",
        ip=ip,
        detail=str(capacity),
    )


@transactional
def close_session(session_id: int, *, actor, ip: str = "") -> None:
    """Stop new bookings on a session; the booked seats stay."""
    session = get_session(session_id)
    session.TRANSITIONS.check(session.state, SessionState.CLOSED)
    session.state = SessionState.CLOSED
    record_audit("session.closed", actor=actor, target=f"session:{session_id}", ip=ip)


REASON_MAX = 200


def applicants_to_tell(session_id: int) -> int:
    """How many applicants a cancellation of this session would text: its active bookings."""
    return db.session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(Booking.session_id == session_id, Booking.state == BookingState.ACTIVE)
    )


@transactional
def cancel_session(session_id: int, *, reason: str, actor, ip: str = "") -> list[Booking]:
    """Cancel a session and every active booking on it, and tell each applicant why.

    The reason is required (issue 18): it is kept on the session, shown on each
    applicant's booking page and sent in their message.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AppointmentError(_l("Give the reason the applicants will read."), field="reason")
    session = get_session(session_id)
    session.TRANSITIONS.check(session.state, SessionState.CANCELLED)
    seats.release_all_seats(session_id)  # first: no seat is taken while the bookings are read
    bookings = db.session.scalars(
        select(Booking).where(
            Booking.session_id == session_id, Booking.state == BookingState.ACTIVE
        )
    ).all()
    for booking in bookings:
        change_state(booking, BookingState.CANCELLED, actor=actor)
    session.state = SessionState.CANCELLED
    session.cancel_reason = reason[:REASON_MAX]
    tell_applicants_session_cancelled(session, bookings)
    record_audit(
        "session.cancelled",
        actor=actor,
        target=f"session:{session_id}",
        ip=ip,
        detail=f"{len(bookings)} bookings cancelled",
    )
    return bookings


def tell_applicants_session_cancelled(session: AppointmentSession, bookings: list[Booking]) -> None:
    """Queue a message to each applicant of a cancelled session, in the caller's transaction."""
    for booking in bookings:
        tell_applicant(
            booking,
            MessageKind.SESSION_CANCELLED,
            session=session,
            # The message's own full stop follows the reason.
            context={"reason": session.cancel_reason.rstrip("。.")},
        )


def roster(session_id: int) -> list[Booking]:
    return list(db.session.scalars(Booking.roster(session_id)))


@transactional
def check_in(booking_id: int, *, actor, ip: str = "") -> Booking:
    """Mark an applicant as arrived; a non-exam booking is then completed."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.is_active:
        raise AppointmentError()
    mark_checked_in(booking, actor=actor)
    record_audit("booking.checked_in", actor=actor, target=target_of(booking), ip=ip)
    return booking


def mark_checked_in(booking: Booking, *, actor, public_message: str = "") -> None:
    """Check an active booking in, from the session's start; a non-exam booking is then
    completed. No commit."""
    session_rules.check_started(booking.session)
    booking.checked_in_at = clock.utcnow()
    if not booking.is_exam:
        _complete(booking, actor=actor, public_message=public_message)


def mark_no_show(booking: Booking, *, actor, public_message: str = "") -> None:
    """Record, from the session's start, that an active booking's applicant did not come;
    completed. No commit."""
    session_rules.check_started(booking.session)
    booking.result = ExamResult.NO_SHOW
    _complete(booking, actor=actor, public_message=public_message)


def _complete(booking: Booking, *, actor, public_message: str = "") -> None:
    booking.outcome_recorded_at = clock.utcnow()
    change_state(booking, BookingState.COMPLETED, actor=actor, public_message=public_message)


def cancel_by_staff(booking: Booking, *, actor, public_message: str = "") -> None:
    """Cancel an active booking and free its seat; the applicant is told if the
    session is still to come. No commit."""
    change_state(booking, BookingState.CANCELLED, actor=actor, public_message=public_message)
    seats.free_seat(booking.session_id)
    if booking.session.start_utc > clock.utcnow():
        tell_applicant(booking, MessageKind.BOOKING_CANCELLED)


def outcome_choices(booking: Booking) -> tuple[str, ...]:
    """What may be recorded for a booking: results for an exam; for another service a
    no-show, or (correcting a no-show) that the applicant came."""
    if booking.is_exam:
        return tuple(ExamResult)
    if booking.is_completed:
        return (ExamResult.NO_SHOW, ATTENDED)
    return (ExamResult.NO_SHOW,)


@transactional
def record_result(
    booking_id: int, result: str, *, actor, ip: str = "", reason: str = ""
) -> Booking:
    """Record pass, fail or no-show, from the session's start; the booking is completed.

    On a completed booking this is a correction (`correct_outcome`). A no-show
    counts as a failed attempt for the 10-day wait (issue 5, item 6).
    """
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.state == BookingState.CANCELLED:
        raise AppointmentError()
    if result not in outcome_choices(booking) or result == booking.outcome:
        raise AppointmentError()
    if booking.is_completed:
        return correct_outcome(booking, result, reason=reason, actor=actor, ip=ip)
    session_rules.check_started(booking.session)
    booking.result = ExamResult(result)
    _complete(booking, actor=actor)
    record_audit("booking.result", actor=actor, target=target_of(booking), ip=ip, detail=result)
    return booking


def correct_outcome(booking: Booking, outcome: str, *, reason: str, actor, ip: str) -> Booking:
    """Correct a recorded result, no-show or check-in until the end of the next working day.

    The reason goes into the audit entry. A no-show corrected to anything but a
    fail is no longer a failed attempt, so its 10-day wait is lifted with it.
    """
    session_rules.check_correction(booking, reason)
    before = booking.outcome
    if outcome == ATTENDED:
        booking.result = None
        booking.checked_in_at = booking.checked_in_at or clock.utcnow()
    else:
        booking.result = ExamResult(outcome)
        if outcome == ExamResult.NO_SHOW:
            booking.checked_in_at = None
    record_audit(
        "booking.result_corrected",
        actor=actor,
        target=target_of(booking),
        ip=ip,
        detail=f"{before} → {outcome}: {reason.strip()}",
    )
    return booking


@transactional
def search_bookings(query: str, *, actor, ip: str = "", limit: int = 50) -> list[Booking]:
    """Bookings whose reference, phone or ID number is the query; the search is audited."""
    term = query.strip()
    if not term:
        return []
    found = db.session.scalars(
        select(Booking)
        .where(
            or_(
                Booking.reference == normalise_reference(term),
                Booking.phone == term.replace(" ", ""),
                Booking.id_number == term.replace(" ", "").upper(),
            )
        )
        .order_by(Booking.created_at.desc())
        .limit(limit)
    ).all()
    record_audit("booking.search", actor=actor, ip=ip, detail=f"{len(found)} found")
    return list(found)


@transactional
def view_booking(booking_id: int, *, actor, ip: str = "") -> Booking | None:
    """A booking with its personal data, for staff; the view is audited."""
    booking = db.session.get(Booking, booking_id)
    if booking is not None:
        record_audit("booking.viewed", actor=actor, target=target_of(booking), ip=ip)
    return booking


def get_booking(booking_id: int) -> Booking | None:
    return db.session.get(Booking, booking_id)


def roster_rows(session_id: int) -> list[tuple]:
    """The roster as CSV rows; ID numbers and phones masked."""
    return [
        (
            b.reference,
            b.full_name,
            b.masked_id_number,
            b.masked_phone,
            b.subject_label,
            b.licence_class_label,
            b.state_label,
            b.checked_in_at,
            b.result_label,
        )
        for b in roster(session_id)
    ]


def calendar_sessions(*, first_day: date, service: str | None = None) -> list[AppointmentSession]:
    return list(
        db.session.scalars(AppointmentSession.calendar(first_day=first_day, service=service))
    )


def booking_history(booking: Booking) -> list[WorkflowEvent]:
    return list(db.session.scalars(WorkflowEvent.history_of(booking.SUBJECT_TYPE, booking.id)))
