"""Data retention for bookings: personal data goes, the counts and statistics stay."""

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState
from webapp.common.clock import to_local
from webapp.common.workflow import mask_personal_data_in_notes
from webapp.extensions import db


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
