"""Data retention for waiting lists: as for bookings, personal data goes, the counts stay."""

from datetime import datetime

from sqlalchemy import or_, select, update

from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.states import ACTIVE_STATES
from webapp.common.clock import to_local
from webapp.extensions import db
from webapp.notifications.retention import forget_around, submissions_of


def anonymise_waitlist(cutoff: datetime) -> int:
    """Blank name, ID number, phone, e-mail and licence expiry of ended places of old days.

    A place that has left the line (booked, declined, expired, left, closed)
    and whose last day is before `cutoff` loses its personal data, here and in
    the rows around it (`forget_around`); service, days, states and times stay,
    so that the figures of the list are unchanged. A second run changes nothing.
    """
    ended = (
        WaitlistEntry.state.not_in([str(state) for state in ACTIVE_STATES]),
        WaitlistEntry.last_day < to_local(cutoff).date(),
    )
    not_yet_blank = or_(
        WaitlistEntry.full_name != "",
        WaitlistEntry.id_number != "",
        WaitlistEntry.phone != "",
        WaitlistEntry.email != "",
        WaitlistEntry.licence_expiry.is_not(None),
    )
    personal = {
        row.id: (row.full_name, row.id_number, row.phone, row.email)
        for row in db.session.execute(
            select(
                WaitlistEntry.id,
                WaitlistEntry.full_name,
                WaitlistEntry.id_number,
                WaitlistEntry.phone,
                WaitlistEntry.email,
            ).where(*ended, not_yet_blank)
        )
    }
    blanked = db.session.execute(
        update(WaitlistEntry)
        .where(*ended, not_yet_blank)
        .values(full_name="", id_number="", phone="", email="", licence_expiry=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return blanked + forget_around(submissions_of(WaitlistEntry, *ended, personal=personal))
