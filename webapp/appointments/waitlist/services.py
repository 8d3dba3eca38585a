"""The applicant's verbs on a waiting list (join, confirm, decline, leave) and the staff's.

Who may wait is decided as who may book: `eligibility.check_seat` (or its part
about the person, `check_applicant`, for any session between two days); it is
checked again when a seat is offered and when the offer is confirmed. Seats are
held and freed by `seats`, offers made by `offers`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.appointments.eligibility import Applicant, applicant_of, check_applicant, check_seat
from webapp.appointments.errors import (
    AlreadyBooked,
    AlreadyWaiting,
    LookupFailed,
    OfferNotOpen,
    OfferPassedOn,
    RetakeTooSoon,
    SeatsStillFree,
    SessionUnavailable,
    WaitingDaysInvalid,
    WaitlistClosed,
)
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import RuleBroken
from webapp.appointments.services import book_seat, cutoff_hours, sessions_on_offer
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.notices import tell_entry, wanted_label
from webapp.appointments.waitlist.offers import end_offer, locked_entry
from webapp.appointments.waitlist.states import EntryState
from webapp.common import clock
from webapp.common.audit import record_audit
from webapp.common.identifiers import normalise_reference
from webapp.common.references import add_with_new_reference
from webapp.common.workflow import change_state, record_event
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.transactions import transactional

REFERENCE_PREFIX = "W"


def last_waiting_day() -> date:
    return clock.local_today() + timedelta(days=current_app.config["BOOKING_OPENS_DAYS"])


def _check_session(service: str, session_id: int, applicant: Applicant) -> AppointmentSession:
    session = db.session.get(AppointmentSession, session_id)
    check_seat(service, session, applicant, full_ok=True)
    if session.waitlist_closed:
        raise WaitlistClosed()
    if not session.is_full:
        raise SeatsStillFree()
    return session


def _check_days(service: str, first_day: date, last_day: date, applicant: Applicant) -> None:
    last_allowed = last_waiting_day()
    first_bookable = (clock.local_now() + timedelta(hours=cutoff_hours())).date()
    if not (first_bookable <= last_day <= last_allowed and clock.local_today() <= first_day):
        raise WaitingDaysInvalid(last_allowed)
    if first_day > last_day:
        raise WaitingDaysInvalid(last_allowed)
    check_applicant(service, applicant, day=first_day)
    if any(first_day <= s.day <= last_day and not s.is_full for s in sessions_on_offer(service)):
        raise SeatsStillFree(field="first_day")


@transactional
def join_waitlist(
    service: str,
    applicant: Applicant,
    *,
    session_id: int | None = None,
    days: tuple[date, date] | None = None,
    email: str = "",
) -> WaitlistEntry:
    """Put the applicant in line for a full session, or for any session between two days.

    The same rules as a booking, closed by the same cut-off; one place per ID
    number and service (a unique index). Queues the confirmation. Raises the
    errors of `check_seat`, SeatsStillFree, WaitlistClosed, WaitingDaysInvalid
    or AlreadyWaiting; nothing is written when it raises.
    """

    def build(reference: str) -> WaitlistEntry:
        if session_id is not None:
            session = _check_session(service, session_id, applicant)
            first_day = last_day = session.day
        else:
            first_day, last_day = days
            _check_days(service, first_day, last_day, applicant)
        if db.session.scalar(WaitlistEntry.active_for(service, applicant.id_number)):
            raise AlreadyWaiting()
        entry = WaitlistEntry(
            reference=reference,
            service=service,
            session_id=session_id,
            first_day=first_day,
            last_day=last_day,
            email=email or "",
            state=EntryState.WAITING,
            **vars(applicant),
        )
        db.session.add(entry)
        db.session.flush()
        record_event(entry, to_state=EntryState.WAITING)
        tell_entry(
            entry,
            MessageKind.WAITLIST_JOINED,
            wanted=wanted_label(entry),
            hours=current_app.config["WAITLIST_HOLD_HOURS"],
        )
        return entry

    try:
        return add_with_new_reference(build, prefix=REFERENCE_PREFIX, model=WaitlistEntry)
    except IntegrityError:  # the same person joined a moment ago
        raise AlreadyWaiting() from None


def is_waitlist_reference(reference: str) -> bool:
    return normalise_reference(reference or "").startswith(REFERENCE_PREFIX)


def find_entry(reference: str, id_number: str) -> WaitlistEntry:
    """The place with this W reference and ID number; one error whichever half is wrong."""
    entry = db.session.scalar(WaitlistEntry.by_reference(normalise_reference(reference)))
    if entry is None or entry.id_number != (id_number or "").strip().upper():
        raise LookupFailed()
    return entry


def get_session(session_id: int) -> AppointmentSession | None:
    return db.session.get(AppointmentSession, session_id)


def get_entry(entry_id: int | None) -> WaitlistEntry | None:
    return db.session.get(WaitlistEntry, entry_id) if entry_id else None


def position(entry: WaitlistEntry) -> int | None:
    """Where the applicant stands in line now; None once they are no longer waiting."""
    if not entry.is_waiting:
        return None
    return db.session.scalar(WaitlistEntry.position_of(entry))


def _open_offer(reference: str, id_number: str) -> WaitlistEntry:
    entry = locked_entry(find_entry(reference, id_number).id)
    if not entry.is_offered or clock.utcnow() >= entry.offer_expires_at:
        raise OfferNotOpen()
    return entry


def confirm_offer(reference: str, id_number: str) -> Booking:
    """Book the seat held for the applicant: an ordinary booking (A reference, slip, .ics).

    Checked again as a booking is (`check_seat`). Raises LookupFailed or
    OfferNotOpen (nothing is written; the seat stays held), or OfferPassedOn
    when the applicant may no longer hold the seat (a rule of the service, a
    retake period begun since they joined, another active booking): their offer
    ends and the seat goes to the next in line, as a unit of work of its own.
    Call it outside a transaction.
    """
    try:
        return _book_held_seat(reference, id_number)
    except (RuleBroken, RetakeTooSoon, AlreadyBooked, SessionUnavailable) as refusal:
        _give_up_offer(reference, id_number)
        raise OfferPassedOn(refusal.message) from refusal


@transactional
def _book_held_seat(reference: str, id_number: str) -> Booking:
    entry = _open_offer(reference, id_number)
    change_state(entry, EntryState.BOOKED)
    booking = book_seat(entry.service, entry.offered_session_id, applicant_of(entry), held=True)
    entry.booking_id = booking.id
    return booking


@transactional
def _give_up_offer(reference: str, id_number: str) -> None:
    """End an offer its holder cannot take; the place in line ends with it."""
    entry = _open_offer(reference, id_number)
    end_offer(entry, EntryState.CLOSED)


@transactional
def decline_offer(reference: str, id_number: str) -> WaitlistEntry:
    """Turn the offer down: the seat passes to the next in line at once."""
    entry = _open_offer(reference, id_number)
    end_offer(entry, EntryState.DECLINED)
    return entry


@transactional
def leave_waitlist(entry_id: int) -> WaitlistEntry:
    """Leave the line; a seat held for the applicant passes to the next in line."""
    entry = locked_entry(entry_id)
    if entry is None or not entry.is_active:
        raise OfferNotOpen()
    if entry.is_offered:
        end_offer(entry, EntryState.LEFT)
    else:
        change_state(entry, EntryState.LEFT)
    return entry


# --- Back office ---------------------------------------------------------------------


@dataclass(frozen=True)
class LineCounts:
    booked: int
    held: int
    waiting: int


def line_of(session: AppointmentSession) -> list[WaitlistEntry]:
    """The session's line in order: those offered a seat in it, then those waiting."""
    return list(db.session.scalars(WaitlistEntry.line_of(session)))


def line_counts(session: AppointmentSession) -> LineCounts:
    waiting = db.session.scalar(
        select(func.count()).select_from(WaitlistEntry.waiting_for(session).subquery())
    )
    return LineCounts(booked=session.seats_taken, held=session.seats_held, waiting=waiting)


def _waiting_for_this_session_alone(session_id: int):
    return select(WaitlistEntry).where(
        WaitlistEntry.session_id == session_id, WaitlistEntry.state == EntryState.WAITING
    )


def places_ended_by_closing(session_id: int) -> int:
    """How many places closing the session's list would end (each is told by text)."""
    query = _waiting_for_this_session_alone(session_id).subquery()
    return db.session.scalar(select(func.count()).select_from(query))


@transactional
def close_waitlist(session_id: int, *, actor, ip: str = "") -> int:
    """Close a session's waiting list: no one joins it or is offered its seats any more.

    Those waiting for this session alone leave the line and are told; an offer
    already made stands. Returns how many places ended.
    """
    session = db.session.get(AppointmentSession, session_id)
    session.waitlist_closed = True
    entries = db.session.scalars(_waiting_for_this_session_alone(session_id)).all()
    for entry in entries:
        change_state(entry, EntryState.CLOSED, actor=actor)
        tell_entry(entry, MessageKind.WAITLIST_CLOSED, wanted=wanted_label(entry))
    record_audit(
        "waitlist.closed",
        actor=actor,
        target=f"session:{session_id}",
        ip=ip,
        detail=f"{len(entries)} places closed",
    )
    return len(entries)
