"""Freed seats offered in turn: held for the first person in line who can take it.

`offer_free_seats` runs in the unit of work that freed the seat (a
cancellation, a move, more capacity, a new session, an offer declined or
expired: `seats.seats_freed`), so that no one can book the seat between its
freeing and its offer. Fairness under concurrency rests on two locks: the
session's row, which the freeing update already holds (two seats freed in one
session are offered one after the other, to the first two in line), and each
entry's row, read again under lock before it is offered (an entry offered or
closed a moment ago by another unit of work is passed over, so that no one
gets two seats, and no one who has just booked another session gets one).
On SQLite a writer holds the whole database (BEGIN IMMEDIATE).
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from webapp.appointments import seats
from webapp.appointments.eligibility import applicant_of, check_seat
from webapp.appointments.errors import (
    AlreadyBooked,
    AppointmentError,
    SessionFull,
    SessionUnavailable,
)
from webapp.appointments.models import AppointmentSession
from webapp.appointments.states import SessionState
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.notices import offer_link, tell_entry
from webapp.appointments.waitlist.states import ACTIVE_STATES, EntryState
from webapp.common import clock
from webapp.common.workflow import change_state
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.transactions import transactional


def _locked_session(session_id: int) -> AppointmentSession | None:
    return db.session.scalar(
        select(AppointmentSession)
        .where(AppointmentSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def locked_entry(entry_id: int) -> WaitlistEntry | None:
    """The entry as committed now, its row locked until the caller's transaction ends."""
    return db.session.scalar(
        select(WaitlistEntry)
        .where(WaitlistEntry.id == entry_id)
        .options(lazyload("*"))
        .with_for_update(of=WaitlistEntry)
        .execution_options(populate_existing=True)
    )


def offer_deadline(session: AppointmentSession, now: datetime) -> datetime:
    """When an offer made now ends: WAITLIST_HOLD_HOURS later, never past the cut-off."""
    hold = timedelta(hours=current_app.config["WAITLIST_HOLD_HOURS"])
    return min(now + hold, session.cutoff(current_app.config["BOOKING_CUTOFF_HOURS"]))


def _worth_offering(session: AppointmentSession, now: datetime) -> bool:
    """Open, its list not closed, and time enough to answer before the cut-off."""
    least = timedelta(hours=current_app.config["WAITLIST_MIN_HOLD_HOURS"])
    return (
        session.state == SessionState.OPEN
        and not session.waitlist_closed
        and offer_deadline(session, now) - now >= least
    )


def offer_free_seats(session_id: int) -> list[WaitlistEntry]:
    """Hold each free seat of the session for the next person in line who can take it.

    Each is checked by `check_seat` as a booking would be; one who now holds
    another booking of the service leaves the line, one whom a rule refuses for
    this session keeps their place for another. A seat nobody can take, or
    freed too close to the cut-off, stays open to booking. Adds to the session.
    """
    session = _locked_session(session_id)
    now = clock.utcnow()
    if session is None or session.seats_left == 0 or not _worth_offering(session, now):
        return []
    free, offered = session.seats_left, []
    for candidate in db.session.scalars(WaitlistEntry.waiting_for(session)).all():
        if free == 0:
            break
        entry = locked_entry(candidate.id)
        if entry is None or not entry.is_waiting:
            continue
        try:
            check_seat(session.service, session, applicant_of(entry), full_ok=True)
        except AlreadyBooked:
            change_state(entry, EntryState.CLOSED)
            continue
        except (SessionUnavailable, SessionFull):
            break
        except AppointmentError:
            continue
        if not seats.hold_seat(session.id):
            break
        _offer(entry, session, now)
        free -= 1
        offered.append(entry)
    return offered


def _offer(entry: WaitlistEntry, session: AppointmentSession, now: datetime) -> None:
    change_state(entry, EntryState.OFFERED)
    entry.offered_session_id = session.id
    entry.offered_at = now
    entry.offer_expires_at = offer_deadline(session, now)
    db.session.flush()
    tell_entry(
        entry,
        MessageKind.WAITLIST_OFFER,
        when=session.start_utc,
        until=entry.offer_expires_at,
        link=offer_link(entry),
    )


def end_offer(entry: WaitlistEntry, state: EntryState, *, actor=None) -> None:
    """End an offer unanswered, declined or given up: the seat goes to the next in line."""
    session_id = entry.offered_session_id
    change_state(entry, state, actor=actor)
    seats.release_held_seat(session_id)


def leave_on_booking(service: str, id_number: str) -> None:
    """The applicant has booked a seat another way: their place in line ends, any offer too."""
    for found in db.session.scalars(WaitlistEntry.active_for(service, id_number)).all():
        entry = locked_entry(found.id)
        if entry is None or not entry.is_active:
            continue
        if entry.is_offered:
            end_offer(entry, EntryState.CLOSED)
        else:
            change_state(entry, EntryState.CLOSED)


def session_cancelled(session_id: int) -> None:
    """The brigade cancels a session: its own list closes, its offers go back in line.

    Its held seats are released with the others by `seats.release_all_seats`.
    """
    entries = db.session.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.state.in_(ACTIVE_STATES),
            (WaitlistEntry.session_id == session_id)
            | (WaitlistEntry.offered_session_id == session_id),
        )
        .order_by(WaitlistEntry.id)
    ).all()
    for entry in entries:
        if entry.session_id == session_id:
            change_state(entry, EntryState.CLOSED)
        else:  # a place for any session of some days: back in line, where it was
            change_state(entry, EntryState.WAITING)
            entry.offered_session_id = entry.offered_at = entry.offer_expires_at = None


@transactional
def expire_offers() -> int:
    """Run every few minutes: end unanswered offers, close lapsed places, offer free seats.

    An offer whose time is up passes to the next in line. A place whose days
    have all passed their cut-off leaves the line. Any open session with a free
    seat and someone waiting (one that has entered the booking window, say) is
    offered. Returns how many offers and places ended.
    """
    now = clock.utcnow()
    ended = 0
    for found in db.session.scalars(_offers_due(now)).all():
        entry = locked_entry(found.id)
        if entry is not None and entry.is_offered and entry.offer_expires_at <= now:
            end_offer(entry, EntryState.EXPIRED)
            ended += 1
    ended += _close_lapsed_places(now)
    for session_id in db.session.scalars(_sessions_with_free_seats_and_a_line()).all():
        offer_free_seats(session_id)
    return ended


def _offers_due(now: datetime):
    return (
        select(WaitlistEntry)
        .where(WaitlistEntry.state == EntryState.OFFERED, WaitlistEntry.offer_expires_at <= now)
        .order_by(WaitlistEntry.id)
    )


def _close_lapsed_places(now: datetime) -> int:
    """Waiting places that no session can serve any more: past the booking cut-off."""
    hours = current_app.config["BOOKING_CUTOFF_HOURS"]
    last_bookable_day = clock.to_local(now + timedelta(hours=hours)).date()
    candidates = db.session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.state == EntryState.WAITING,
            WaitlistEntry.last_day <= last_bookable_day,
        )
    ).all()
    lapsed = [
        entry
        for entry in candidates
        if (
            now >= entry.session.cutoff(hours)
            if entry.session
            else entry.last_day < last_bookable_day
        )
    ]
    for entry in lapsed:
        change_state(entry, EntryState.CLOSED)
    return len(lapsed)


def _sessions_with_free_seats_and_a_line():
    sessions = AppointmentSession
    line = select(WaitlistEntry.id).where(
        WaitlistEntry.service == sessions.service,
        WaitlistEntry.state == EntryState.WAITING,
        WaitlistEntry.first_day <= sessions.day,
        WaitlistEntry.last_day >= sessions.day,
    )
    return (
        select(sessions.id)
        .where(
            sessions.state == SessionState.OPEN,
            sessions.day >= clock.local_today(),
            sessions.seats_taken + sessions.seats_held < sessions.capacity,
            line.exists(),
        )
        .order_by(sessions.day, sessions.starts_at, sessions.id)
    )
