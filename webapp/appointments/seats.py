"""A session's seats: the only code that changes `appointment_sessions.seats_taken`.

Each change is one guarded UPDATE in the caller's transaction, beside the
booking row it goes with, so that the database, not Python, keeps a session
within its capacity under any concurrency (issue 5, rule 4). The counter is
the number of the session's bookings that hold a seat: active ones, and
completed ones (an applicant who came keeps the seat they used).

The loaded `AppointmentSession` is not updated in memory: it is reloaded when
the verb commits.
"""

from sqlalchemy import select, update

from webapp.appointments.errors import CapacityTooLow, SessionFull
from webapp.appointments.models import AppointmentSession
from webapp.appointments.states import SessionState
from webapp.extensions import db


def _update(session_id: int, *conditions):
    return (
        update(AppointmentSession)
        .where(AppointmentSession.id == session_id, *conditions)
        .execution_options(synchronize_session=False)
    )


def take_seat(session_id: int) -> None:
    """Take one seat of an open session; raise SessionFull if none is left."""
    result = db.session.execute(
        _update(
            session_id,
            AppointmentSession.seats_taken < AppointmentSession.capacity,
            AppointmentSession.state == SessionState.OPEN,
        ).values(seats_taken=AppointmentSession.seats_taken + 1)
    )
    if result.rowcount != 1:
        raise SessionFull()


def free_seat(session_id: int) -> None:
    """Give back one seat: it is bookable again as soon as the caller commits."""
    db.session.execute(
        _update(session_id, AppointmentSession.seats_taken > 0).values(
            seats_taken=AppointmentSession.seats_taken - 1
        )
    )


def release_all_seats(session_id: int) -> None:
    """Free every seat of a session that the brigade cancels.

    Called before the session's bookings are read and cancelled: the update
    holds the session's row, so that no seat is taken meanwhile.
    """
    db.session.execute(_update(session_id).values(seats_taken=0))


def set_capacity(session_id: int, capacity: int) -> None:
    """Set a session's capacity; raise CapacityTooLow if more seats are taken than that."""
    result = db.session.execute(
        _update(session_id, AppointmentSession.seats_taken <= capacity).values(capacity=capacity)
    )
    if result.rowcount != 1:
        raise CapacityTooLow(seats_taken(session_id))


def seats_taken(session_id: int) -> int:
    """The seats taken as the database has them now, not as a loaded session remembers."""
    return db.session.scalar(
        select(AppointmentSession.seats_taken).where(AppointmentSession.id == session_id)
    )
