"""When staff may act on a session: every path (back office, inbox, command line) asks here.

- A session is published only for a time still to come (issue 18, item 7).
- Check-in, a result or a no-show is recorded only from the session's start.
- A result or no-show is corrected by the same role until the end of the next
  working day after it was recorded, with a reason (issue 18, item 3).
"""

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from webapp.appointments.errors import AppointmentError
from webapp.appointments.models import AppointmentSession, Booking
from webapp.common import clock, workdays


class SessionInPast(AppointmentError):
    field = "day"
    default_message = _l("A session can only be published for a time still to come.")


class SessionNotStarted(AppointmentError):
    default_message = _l(
        "Check-in, results and no-shows can be recorded only from the session's start."
    )


class CorrectionClosed(AppointmentError):
    default_message = _l(
        "This result can no longer be corrected: corrections close at the end of the next working day."
    )


class ReasonRequired(AppointmentError):
    field = "reason"
    default_message = _l("Enter the reason for the correction.")


def check_publishable(start_utc: datetime, *, now: datetime | None = None) -> None:
    """Refuse a session whose start (naive UTC) is not after now."""
    if start_utc <= (now or clock.utcnow()):
        raise SessionInPast()


def has_started(session: AppointmentSession, *, now: datetime | None = None) -> bool:
    return (now or clock.utcnow()) >= session.start_utc


def check_started(session: AppointmentSession, *, now: datetime | None = None) -> None:
    """Refuse check-in, a result or a no-show before the session begins."""
    if not has_started(session, now=now):
        raise SessionNotStarted()


def correction_deadline(recorded_at: datetime) -> datetime:
    """The end (naive UTC) of the first working day after the day `recorded_at` falls on."""
    day = clock.to_local(recorded_at).date()
    next_day = day + timedelta(days=1)
    while not workdays.is_working_day(next_day):
        next_day += timedelta(days=1)
    return clock.local_to_utc(datetime.combine(next_day + timedelta(days=1), time()))


def can_correct(booking: Booking, *, now: datetime | None = None) -> bool:
    """A completed booking whose outcome is still inside its correction window."""
    if not booking.is_completed or booking.outcome_recorded_at is None:
        return False
    return (now or clock.utcnow()) < correction_deadline(booking.outcome_recorded_at)


def check_correction(booking: Booking, reason: str, *, now: datetime | None = None) -> None:
    """Refuse a correction after its window, or without a reason."""
    if not can_correct(booking, now=now):
        raise CorrectionClosed()
    if not reason.strip():
        raise ReasonRequired()
