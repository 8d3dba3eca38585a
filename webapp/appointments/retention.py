"""Data retention for bookings: personal data goes, the counts and statistics stay."""

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.common.clock import to_local
from webapp.extensions import db
from webapp.notifications.retention import BLANKED, forget_around, submissions_of

# What retention does to each text column (see webapp/notifications/retention.py).
ANONYMISED = {
    Booking.full_name: BLANKED,
    Booking.id_number: BLANKED,
    Booking.phone: BLANKED,
    # Places on waiting lists: webapp/appointments/waitlist/retention.py.
    WaitlistEntry.full_name: BLANKED,
    WaitlistEntry.id_number: BLANKED,
    WaitlistEntry.phone: BLANKED,
    WaitlistEntry.email: BLANKED,
}
NOT_PERSONAL = {
    Booking.reference: "the booking's reference",
    Booking.service: "a service code",
    Booking.licence_class: "a licence class",
    Booking.result: "an exam result",
    Booking.language: "a language code",
    Booking.state: "a state",
    AppointmentSession.service: "a service code",
    AppointmentSession.place: "where the brigade holds the session",
    AppointmentSession.state: "a state",
    AppointmentSession.cancel_reason: "the brigade's reason for cancelling a session",
    WaitlistEntry.reference: "the place's reference",
    WaitlistEntry.service: "a service code",
    WaitlistEntry.licence_class: "a licence class",
    WaitlistEntry.language: "a language code",
    WaitlistEntry.state: "a state",
}


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


def anonymise_bookings(cutoff: datetime) -> int:
    """Blank name, ID number, phone and licence expiry of closed bookings of old sessions.

    Their name, phone and ID number are also taken out of the rows around them
    (public messages, staff notes, outbox, audit log: `forget_around`). Service,
    session, subject, licence class, state, result, check-in and dates stay, so
    that every count and statistic is unchanged. Active bookings are left alone
    (the inbox asks staff to close them out first). A second run changes nothing.
    """
    closed = (
        Booking.session_id.in_(select(AppointmentSession.id).where(_ended_before(cutoff))),
        Booking.state.in_([BookingState.COMPLETED, BookingState.CANCELLED]),
    )
    not_yet_blank = or_(
        Booking.full_name != "",
        Booking.id_number != "",
        Booking.phone != "",
        Booking.licence_expiry.is_not(None),
    )
    personal = {
        row.id: (row.full_name, row.id_number, row.phone)
        for row in db.session.execute(
            select(Booking.id, Booking.full_name, Booking.id_number, Booking.phone).where(
                *closed, not_yet_blank
            )
        )
    }
    blanked = db.session.execute(
        update(Booking)
        .where(*closed, not_yet_blank)
        .values(full_name="", id_number="", phone="", licence_expiry=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return blanked + forget_around(submissions_of(Booking, *closed, personal=personal))
