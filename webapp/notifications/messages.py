"""Every message text in one place: kind -> (subject, body), rendered in the person's language.

The texts are msgids with `%(name)s` placeholders; the caller of `queue_message`
passes the values as `context`. Dates and times in the context are shown in
Beijing time, in the message's language.
"""

from datetime import date, datetime
from enum import StrEnum

from flask import current_app
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import lazy_gettext as _l

from webapp.common.clock import to_local
from webapp.templating import brigade_name


class MessageKind(StrEnum):
    RECEIVED = "received"
    STATE_CHANGED = "state_changed"
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_MOVED = "booking_moved"
    BOOKING_CANCELLED = "booking_cancelled"
    SESSION_CANCELLED = "session_cancelled"
    REMINDER = "reminder"
    TRAINING_SCHEDULED = "training_scheduled"
    TRAINING_DECLINED = "training_declined"
    FOLLOW_CODE = "follow_code"
    FOLLOWED_STATE_CHANGED = "followed_state_changed"
    WAITLIST_JOINED = "waitlist_joined"
    WAITLIST_OFFER = "waitlist_offer"
    WAITLIST_CLOSED = "waitlist_closed"


MESSAGES = {
    MessageKind.RECEIVED: (
        _l("We have received your report %(reference)s"),
        _l(
            "%(brigade)s has received your report %(reference)s. We will tell you when its state changes. Hotline: %(hotline)s."
        ),
    ),
    MessageKind.STATE_CHANGED: (
        _l("Your report %(reference)s: %(state)s"),
        _l(
            "The state of your report %(reference)s is now: %(state)s. %(message)s Details: %(link)s To stop these texts: %(stop)s"
        ),
    ),
    MessageKind.BOOKING_CONFIRMED: (
        _l("Booking confirmed: %(reference)s"),
        _l(
            "Your booking %(reference)s for %(service)s on %(when)s is confirmed. Bring your resident ID card. Hotline: %(hotline)s."
        ),
    ),
    MessageKind.BOOKING_MOVED: (
        _l("Booking moved: %(reference)s"),
        _l("Your booking %(reference)s for %(service)s has moved to %(when)s."),
    ),
    MessageKind.BOOKING_CANCELLED: (
        _l("Booking cancelled: %(reference)s"),
        _l("Your booking %(reference)s for %(service)s on %(when)s is cancelled."),
    ),
    MessageKind.SESSION_CANCELLED: (
        _l("Session cancelled: %(service)s on %(when)s"),
        _l(
            "We are sorry: %(brigade)s has cancelled the session of %(service)s on %(when)s, and with it your booking %(reference)s. Reason: %(reason)s. Please book another session. Hotline: %(hotline)s."
        ),
    ),
    MessageKind.REMINDER: (
        _l("Reminder: %(service)s tomorrow"),
        _l(
            "A reminder: your booking %(reference)s for %(service)s is tomorrow, %(when)s. Bring your resident ID card."
        ),
    ),
    MessageKind.TRAINING_SCHEDULED: (
        _l("Training scheduled: %(reference)s"),
        _l("The training you asked for (%(reference)s) is scheduled for %(when)s at %(place)s."),
    ),
    MessageKind.TRAINING_DECLINED: (
        _l("Training request declined: %(reference)s"),
        _l(
            "We cannot hold the training you asked for (%(reference)s): %(reason)s. Hotline: %(hotline)s."
        ),
    ),
    MessageKind.FOLLOW_CODE: (
        _l("Your code to follow report %(reference)s"),
        _l(
            "%(code)s is your code to follow report %(reference)s of %(brigade)s. It is valid for 30 minutes. If you did not ask for it, ignore this text."
        ),
    ),
    MessageKind.FOLLOWED_STATE_CHANGED: (
        _l("Report %(reference)s: %(state)s"),
        _l(
            "The report %(reference)s that you follow is now: %(state)s. Details: %(link)s To stop these texts: %(stop)s"
        ),
    ),
    MessageKind.WAITLIST_JOINED: (
        _l("On the waiting list: %(reference)s"),
        _l(
            "You are on the waiting list for %(service)s (%(wanted)s), reference %(reference)s. When a seat frees, we hold it for you and send a text message with a link; answer within %(hours)s hours."
        ),
    ),
    MessageKind.WAITLIST_OFFER: (
        _l("A seat is held for you: %(reference)s"),
        _l(
            "A seat of %(service)s on %(when)s is held for you until %(until)s. Confirm it with your reference %(reference)s and your ID number: %(link)s"
        ),
    ),
    MessageKind.WAITLIST_CLOSED: (
        _l("Waiting list closed: %(reference)s"),
        _l(
            "The waiting list for %(service)s (%(wanted)s) is closed, and with it your place %(reference)s. Hotline: %(hotline)s."
        ),
    ),
}

KIND_LABELS = {
    MessageKind.RECEIVED: _l("Report received"),
    MessageKind.STATE_CHANGED: _l("State changed"),
    MessageKind.BOOKING_CONFIRMED: _l("Booking confirmed"),
    MessageKind.BOOKING_MOVED: _l("Booking moved"),
    MessageKind.BOOKING_CANCELLED: _l("Booking cancelled"),
    MessageKind.SESSION_CANCELLED: _l("Session cancelled"),
    MessageKind.REMINDER: _l("Reminder"),
    MessageKind.TRAINING_SCHEDULED: _l("Training scheduled"),
    MessageKind.TRAINING_DECLINED: _l("Training declined"),
    MessageKind.FOLLOW_CODE: _l("Code to follow a report"),
    MessageKind.FOLLOWED_STATE_CHANGED: _l("A followed report changed"),
    MessageKind.WAITLIST_JOINED: _l("Joined the waiting list"),
    MessageKind.WAITLIST_OFFER: _l("Seat offered from the waiting list"),
    MessageKind.WAITLIST_CLOSED: _l("Waiting list closed"),
}


def _shown(value) -> str:
    """A context value as the reader sees it, in the locale in force."""
    if isinstance(value, datetime):
        return format_datetime(to_local(value).replace(tzinfo=None), "medium", rebase=False)
    if isinstance(value, date):
        return format_date(value, "long")
    return str(value)


def render_message(kind: str, *, language: str, context: dict) -> tuple[str, str]:
    """The (subject, body) of a message of this kind, in this language.

    Raises ValueError for an unknown kind and KeyError for a placeholder missing
    from the context, so that a mistake shows at queue time, not on a phone.
    """
    subject, body = MESSAGES[MessageKind(kind)]
    with force_locale(language):
        values = {
            "brigade": brigade_name(),
            "hotline": current_app.config["BRIGADE_HOTLINE"],
            **{name: _shown(value) for name, value in context.items()},
        }
        return str(subject) % values, str(body) % values
