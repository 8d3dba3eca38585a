"""Life cycles of sessions and bookings."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from webapp.common.workflow import TransitionTable


class SessionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


SESSION_TRANSITIONS = TransitionTable(
    {
        SessionState.OPEN: {SessionState.CLOSED, SessionState.CANCELLED},
        SessionState.CLOSED: {SessionState.OPEN, SessionState.CANCELLED},
    }
)
SESSION_STATE_LABELS = {
    SessionState.OPEN: _l("Open for booking"),
    SessionState.CLOSED: _l("Closed to booking"),
    SessionState.CANCELLED: _l("Session cancelled"),
}


class BookingState(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


BOOKING_TRANSITIONS = TransitionTable(
    {BookingState.ACTIVE: {BookingState.CANCELLED, BookingState.COMPLETED}}
)
BOOKING_STATE_LABELS = {
    BookingState.ACTIVE: _l("Booked"),
    BookingState.CANCELLED: _l("Booking cancelled"),
    BookingState.COMPLETED: _l("Booking completed"),
}


class ExamResult(StrEnum):
    PASS = "pass"  # noqa: S105
    FAIL = "fail"
    NO_SHOW = "no_show"


RESULT_LABELS = {
    ExamResult.PASS: _l("Pass"),
    ExamResult.FAIL: _l("Fail"),
    ExamResult.NO_SHOW: _l("No-show"),
}
# A no-show counts as a failed attempt (issue: the 10-day wait).
FAILED_RESULTS = frozenset({ExamResult.FAIL, ExamResult.NO_SHOW})
# A booking that is not an exam has no result: the applicant came (checked in) or not.
ATTENDED = "attended"
OUTCOME_LABELS = {**RESULT_LABELS, ATTENDED: _l("Attended")}
