"""Messages to applicants through the outbox, tomorrow's reminders, and data retention.

Every message is queued in the caller's transaction (the caller commits once),
by SMS to the booking's phone, in the language the applicant booked in.
"""

from datetime import date, datetime

from sqlalchemy import and_, or_, select, update

from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import service_rule
from webapp.appointments.states import BookingState, SessionState
from webapp.common.clock import to_local
from webapp.common.workflow import mask_personal_data_in_notes
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.notifications.reminders import reminder_provider
from webapp.notifications.retention import anonymiser
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


def tell_applicant(booking: Booking, kind: MessageKind, *, session=None) -> None:
    """Queue one message about this booking (its session unless another is given)."""
    queue_message(**_message(booking, session or booking.session, kind))


@reminder_provider("appointments")
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


def _ended_before(cutoff: datetime):
    """Sessions that ended before `cutoff` (naive UTC), compared in Beijing time."""
    local = to_local(cutoff).replace(tzinfo=None)
    return or_(
        AppointmentSession.day < local.date(),
        and_(
            AppointmentSession.day == local.date(),
            AppointmentSession.ends_at <= local.time().replace(microsecond=0),
        ),
    )


@anonymiser("bookings")
def anonymise_bookings(cutoff: datetime) -> int:
    """Blank name, ID number, phone and licence expiry of closed bookings of old sessions.

    Service, session, subject, licence class, state, result, check-in and dates
    stay, so that every count and statistic is unchanged. Active bookings are left
    alone (the inbox asks staff to close them out first).
    """
    old_sessions = select(AppointmentSession.id).where(_ended_before(cutoff))
    closed_bookings = select(Booking.id).where(
        Booking.session_id.in_(old_sessions),
        Booking.state.in_([BookingState.COMPLETED, BookingState.CANCELLED]),
    )
    notes_changed = mask_personal_data_in_notes(Booking.SUBJECT_TYPE, closed_bookings)
    return (
        notes_changed
        + db.session.execute(
            update(Booking)
            .where(
                Booking.session_id.in_(old_sessions),
                Booking.state.in_([BookingState.COMPLETED, BookingState.CANCELLED]),
                or_(Booking.full_name != "", Booking.id_number != "", Booking.phone != ""),
            )
            .values(full_name="", id_number="", phone="", licence_expiry=None)
            .execution_options(synchronize_session=False)
        ).rowcount
    )
