"""Messages to applicants through the outbox, and tomorrow's reminders.

Every message is queued in the caller's transaction (the caller commits once),
by SMS to the booking's phone, in the language the applicant booked in.
"""

from datetime import date

from sqlalchemy import select

from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import service_rule
from webapp.appointments.states import BookingState, SessionState
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.notifications.services import queue_message


def _message(booking: Booking, session: AppointmentSession, kind: MessageKind) -> dict:
    rule = service_rule(booking.service)
    return {
        "kind": kind,
        "channel": "sms",
        "recipient": booking.phone,
        "language": booking.language,
        "subject_type": booking.SUBJECT_TYPE,
        "subject_id": booking.id,
        # The label stays lazy: it is rendered in the message's language.
        "context": {
            "reference": booking.reference,
            "service": rule.label if rule else booking.service,
            "when": session.start_utc,
        },
    }


def tell_applicant(
    booking: Booking, kind: MessageKind, *, session=None, context: dict | None = None
) -> None:
    """Queue one message about this booking (its session unless another is given).

    `context` adds the values the kind's text needs beyond the booking's (a reason).
    """
    message = _message(booking, session or booking.session, kind)
    message["context"] |= context or {}
    queue_message(**message)


def booking_reminders(day: date):
    """A reminder for each active booking of an open session on `day`, once per booking."""
    bookings = db.session.scalars(
        select(Booking)
        .join(Booking.session)
        .where(
            AppointmentSession.day == day,
            AppointmentSession.state != SessionState.CANCELLED,
            Booking.state == BookingState.ACTIVE,
        )
        .order_by(Booking.id)
    ).all()
    for booking in bookings:
        yield (
            f"reminder:booking:{booking.id}",
            _message(booking, booking.session, MessageKind.REMINDER),
        )
