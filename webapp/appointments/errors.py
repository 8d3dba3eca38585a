"""Named domain errors of appointments; each carries the message the user reads."""

from datetime import date

from flask_babel import lazy_gettext as _l


class AppointmentError(Exception):
    """A refused use case; `field` names the form field to mark, if any."""

    field: str | None = None
    default_message = _l("This cannot be done.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        if field:
            self.field = field
        super().__init__(str(self.message))


class SessionFull(AppointmentError):
    field = "session_id"
    default_message = _l(
        "Sorry, this session has just been fully booked. Choose another session below."
    )


class SessionUnavailable(AppointmentError):
    field = "session_id"
    default_message = _l(
        "This session can no longer be booked: it is closed, cancelled or past the booking cut-off. Choose another session."
    )


class AlreadyBooked(AppointmentError):
    field = "id_number"
    default_message = _l(
        "This ID number already has an active booking for this service. Use “Manage a booking” to view, move or cancel it."
    )


class RetakeTooSoon(AppointmentError):
    field = "subject"

    def __init__(self, from_day: date):
        self.from_day = from_day
        super().__init__(
            _l(
                "After a failed attempt or a no-show, this subject can be booked again from %(day)s.",
                day=from_day.isoformat(),
            )
        )


class LookupFailed(AppointmentError):
    field = "reference"
    default_message = _l(
        "We could not find a booking with this reference and ID number. Check both and try again."
    )


class ChangeNotAllowed(AppointmentError):
    default_message = _l(
        "This booking can no longer be changed: the cut-off has passed or it is not active."
    )


class CapacityTooLow(AppointmentError):
    field = "capacity"

    def __init__(self, seats_taken: int):
        super().__init__(
            _l(
                "The capacity cannot be lower than the %(count)d seats already taken.",
                count=seats_taken,
            )
        )


# --- Waiting lists --------------------------------------------------------------


class SeatsStillFree(AppointmentError):
    field = "session_id"
    default_message = _l("A seat is still free: book it instead of joining the waiting list.")


class AlreadyWaiting(AppointmentError):
    field = "id_number"
    default_message = _l(
        "This ID number already has a place on the waiting list for this service. Use “Manage a booking” with its W reference to see it or leave the list."
    )


class WaitlistClosed(AppointmentError):
    field = "session_id"
    default_message = _l("The waiting list of this session is closed.")


class WaitingDaysInvalid(AppointmentError):
    field = "first_day"

    def __init__(self, last_day: date):
        super().__init__(
            _l(
                "Choose days from today to %(day)s, the first on or before the last, that are not past the booking cut-off.",
                day=last_day.isoformat(),
            )
        )


class OfferNotOpen(AppointmentError):
    field = "reference"
    default_message = _l(
        "There is no seat held for this reference now: the offer has been answered or has expired."
    )


class OfferPassedOn(AppointmentError):
    """The holder of an offer may no longer take the seat; it went to the next in line."""

    field = "reference"

    def __init__(self, reason):
        super().__init__(
            _l(
                "%(reason)s The seat held for you has gone to the next person in line.",
                reason=reason,
            )
        )
