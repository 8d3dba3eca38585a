"""Whether a person may hold a seat in a session: every rule of a service, in one place.

The check step, booking and moving a booking all call `check_seat`, so that no
path forgets a rule and a refusal reads the same on each (SPEC.md §3 and §7). No
staff screen books for an applicant; one that did would call it too.
"""

from dataclasses import dataclass, fields
from datetime import date

from flask import current_app
from sqlalchemy import select

from webapp.appointments.errors import (
    AlreadyBooked,
    RetakeTooSoon,
    SessionFull,
    SessionUnavailable,
)
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import ServiceRule, service_rule
from webapp.appointments.states import BookingState
from webapp.common import clock
from webapp.extensions import db


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str
    phone: str
    subject: int | None = None
    licence_class: str | None = None
    licence_expiry: date | None = None
    language: str = "zh"  # the language the applicant used: messages are sent in it


def applicant_of(booking: Booking) -> Applicant:
    """The person who holds a booking, as the booking form gave them."""
    return Applicant(**{field.name: getattr(booking, field.name) for field in fields(Applicant)})


def check_seat(
    service: str,
    session: AppointmentSession | None,
    applicant: Applicant,
    *,
    exclude_booking: Booking | None = None,
    full_ok: bool = False,
) -> list:
    """Check that `applicant` may hold a seat of `service` in `session`; return notices to show.

    `exclude_booking` is the booking being moved: its own session is not a new
    one, and it does not count as another active booking. `full_ok` lets a full
    session pass: joining its waiting list, or confirming a seat held for the
    applicant. Raises SessionUnavailable, SessionFull, RuleBroken, RetakeTooSoon
    or AlreadyBooked. The seat itself is taken afterwards by a guarded update
    (`seats.take_seat`).
    """
    _check_bookable(service, session, exclude_booking)
    if session.is_full and not full_ok:
        raise SessionFull()
    return check_applicant(service, applicant, day=session.day, exclude_booking=exclude_booking)


def check_applicant(
    service: str, applicant: Applicant, *, day: date, exclude_booking: Booking | None = None
) -> list:
    """The rules of `check_seat` that are about the person, for a session on `day`.

    A place on a waiting list for any session between two days is checked with
    the first of them; the seat offered later is checked whole by `check_seat`.
    """
    rule = service_rule(service)
    notices = rule.check(
        id_number=applicant.id_number,
        session_day=day,
        licence_class=applicant.licence_class,
        licence_expiry=applicant.licence_expiry,
    )
    _check_retake_wait(rule, applicant)
    _check_no_other_active_booking(service, applicant.id_number, exclude_booking)
    return notices


def _check_bookable(
    service: str, session: AppointmentSession | None, exclude_booking: Booking | None
) -> None:
    """Open, of this service, inside the booking window and before its cut-off."""
    if session is None or session.service != service:
        raise SessionUnavailable()
    if exclude_booking is not None and session.id == exclude_booking.session_id:
        raise SessionUnavailable()
    window = {
        "opens_days": current_app.config["BOOKING_OPENS_DAYS"],
        "cutoff_hours": current_app.config["BOOKING_CUTOFF_HOURS"],
    }
    if not session.is_bookable(clock.utcnow(), **window):
        raise SessionUnavailable()


def _check_retake_wait(rule: ServiceRule, applicant: Applicant) -> None:
    """The same exam subject is booked again 10 days after a fail or a no-show (issue 5, item 6)."""
    if not rule.is_exam or applicant.subject is None:
        return
    last = db.session.scalar(
        Booking.last_failed_attempt(id_number=applicant.id_number, subject=applicant.subject)
    )
    if last is not None and clock.local_today() < last.retake_from:
        raise RetakeTooSoon(last.retake_from)


def active_booking(service: str, id_number: str) -> Booking | None:
    """The applicant's active booking of this service, if any (at most one: a unique index)."""
    return db.session.scalar(
        select(Booking).where(
            Booking.service == service,
            Booking.id_number == id_number,
            Booking.state == BookingState.ACTIVE,
        )
    )


def _check_no_other_active_booking(
    service: str, id_number: str, exclude_booking: Booking | None
) -> None:
    active = active_booking(service, id_number)
    if active is None or (exclude_booking is not None and active.id == exclude_booking.id):
        return
    # A past session nobody closed out must not block the applicant for ever.
    if active.session.day >= clock.local_today():
        raise AlreadyBooked()
