"""A session's seats: the only code that changes `seats_taken` and `seats_held`.

Each change is one guarded UPDATE in the caller's transaction, beside the
booking row it goes with, so that the database, not Python, keeps a session
within its capacity under any concurrency (issue 5, rule 4). `seats_taken` is
the number of the session's bookings that hold a seat: active ones, and
completed ones (an applicant who came keeps the seat they used). `seats_held`
is the number of seats held for people on the waiting list until they answer
an offer. A seat is free, held or taken, never two of these:
free = capacity - taken - held.

A seat that comes free (a cancellation, a move, more capacity, a new session)
is handed to the waiting list in the same unit of work (`seats_freed`), before
anyone else can book it.

The loaded `AppointmentSession` is not updated in memory: it is reloaded when
the verb commits.
"""

from sqlalchemy import select, update

from webapp.appointments.errors import CapacityTooLow, SessionFull
from webapp.appointments.models import AppointmentSession
from webapp.appointments.states import SessionState
from webapp.extensions import db

_FREE = AppointmentSession.seats_taken + AppointmentSession.seats_held < AppointmentSession.capacity


def _update(session_id: int, *conditions):
    return (
        update(AppointmentSession)
        .where(AppointmentSession.id == session_id, *conditions)
        .execution_options(synchronize_session=False)
    )


def take_seat(session_id: int) -> None:
    """Take one free seat of an open session; raise SessionFull if none is left."""
    result = db.session.execute(
        _update(session_id, _FREE, AppointmentSession.state == SessionState.OPEN).values(
            seats_taken=AppointmentSession.seats_taken + 1
        )
    )
    if result.rowcount != 1:
        raise SessionFull()


def free_seat(session_id: int) -> None:
    """Give back one seat: it goes to the waiting list, or is bookable once the caller commits."""
    db.session.execute(
        _update(session_id, AppointmentSession.seats_taken > 0).values(
            seats_taken=AppointmentSession.seats_taken - 1
        )
    )
    seats_freed(session_id)


def hold_seat(session_id: int) -> bool:
    """Hold one free seat of an open session for an offer; False if none is free."""
    result = db.session.execute(
        _update(session_id, _FREE, AppointmentSession.state == SessionState.OPEN).values(
            seats_held=AppointmentSession.seats_held + 1
        )
    )
    return result.rowcount == 1


def take_held_seat(session_id: int) -> None:
    """Turn a held seat into a taken one: the offer it was held for is confirmed."""
    result = db.session.execute(
        _update(session_id, AppointmentSession.seats_held > 0).values(
            seats_held=AppointmentSession.seats_held - 1,
            seats_taken=AppointmentSession.seats_taken + 1,
        )
    )
    if result.rowcount != 1:
        raise SessionFull()


def release_held_seat(session_id: int) -> None:
    """Free a held seat whose offer ended unanswered or declined; the next in line gets it."""
    db.session.execute(
        _update(session_id, AppointmentSession.seats_held > 0).values(
            seats_held=AppointmentSession.seats_held - 1
        )
    )
    seats_freed(session_id)


def release_all_seats(session_id: int) -> None:
    """Free every seat, taken or held, of a session that the brigade cancels.

    Called before the session's bookings are read and cancelled: the update
    holds the session's row, so that no seat is taken meanwhile.
    """
    db.session.execute(_update(session_id).values(seats_taken=0, seats_held=0))
    from webapp.appointments.waitlist.offers import session_cancelled

    session_cancelled(session_id)


def set_capacity(session_id: int, capacity: int) -> None:
    """Set a session's capacity; raise CapacityTooLow if more seats are taken or held."""
    taken_or_held = AppointmentSession.seats_taken + AppointmentSession.seats_held
    result = db.session.execute(
        _update(session_id, taken_or_held <= capacity).values(capacity=capacity)
    )
    if result.rowcount != 1:
        raise CapacityTooLow(seats_taken(session_id) + _seats_held(session_id))
    seats_freed(session_id)


def seats_freed(session_id: int) -> None:
    """Offer the session's free seats to its waiting list, in the caller's transaction."""
    from webapp.appointments.waitlist.offers import offer_free_seats  # it holds seats through us

    offer_free_seats(session_id)


def _seats_held(session_id: int) -> int:
    return db.session.scalar(
        select(AppointmentSession.seats_held).where(AppointmentSession.id == session_id)
    )


def seats_taken(session_id: int) -> int:
    """The seats taken as the database has them now, not as a loaded session remembers."""
    return db.session.scalar(
        select(AppointmentSession.seats_taken).where(AppointmentSession.id == session_id)
    )
